#!/usr/bin/env python3
"""make bench-api: API server figures on this machine, printed as a table.

- pod creates/s with p50/p99 latency at 1, 16 and 64 concurrent HTTPS clients (wrk)
- listing 10,000 pods (full JSON list, median and p99 of 10)
- 1,000 concurrent watchers each receiving every event of a 1,000-pod burst (delivery latency);
  the watchers are spread over BENCH_WATCH_CLIENTS client processes (default 4), so that one
  Python process decrypting 1,000 TLS streams is not what is measured
- RSS idle and with 10,000 pods
- access control: pod creates with RBAC and every admission plugin on vs off, side by side

BENCH_PARTS=creates,list,watch,access picks parts (default: all).

Each part runs against a fresh `skiff server` (release build) on a loopback port. With STORE=etcd
every part runs three times, side by side: on SQLite, on a one-member etcd and on a three-member
etcd cluster (all on 127.0.0.1), with the server's and etcd's CPU per create and etcd's own fsync
and commit times from its metrics.
"""
import asyncio
import atexit
import json
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "acceptance"))
from conftest import Server  # noqa: E402
from etcd import EtcdCluster  # noqa: E402

STORES = ["sqlite", "etcd-1", "etcd-3"] if os.environ.get("STORE", "sqlite") == "etcd" else ["sqlite"]
if os.environ.get("BENCH_STORES"):
    STORES = os.environ["BENCH_STORES"].split(",")
store = "sqlite"

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"app": "bench"}},
       "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}}


def ctx():
    c = ssl.create_default_context()
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return c


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    """User+system CPU time a process has used, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_syscalls(pid):
    """How many write-type syscalls a process has made, from /proc/PID/io."""
    with open(f"/proc/{pid}/io") as f:
        for line in f:
            if line.startswith("syscw:"):
                return int(line.split()[1])
    return 0


def start(options=()):
    d = tempfile.mkdtemp(prefix="skiff-bench-")
    cluster, extra = None, list(options)
    if store.startswith("etcd"):
        cluster = EtcdCluster(int(store.split("-")[1]), base_dir=os.path.join(d, "etcd")).start()
        extra += ["--datastore-endpoint", cluster.endpoints]
    s = Server(d, extra=extra)
    s.etcd = cluster
    running.append((s, d))
    return s.start(), d


def stop(s, d):
    s.stop()
    if getattr(s, "etcd", None):
        s.etcd.stop()
    shutil.rmtree(d, ignore_errors=True)


running = []


@atexit.register
def stop_leftovers():
    """What a failed part left running (its servers and etcd members) is stopped on exit."""
    for s, d in running:
        if s.proc or (s.etcd and any(m.proc and m.proc.poll() is None for m in s.etcd.members)):
            stop(s, d)


def etcd_cpu(s):
    return sum(cpu_seconds(m.proc.pid) for m in s.etcd.members) if s.etcd else 0.0


def etcd_metrics(s):
    """Sums of etcd's WAL fsync and backend commit histograms (seconds, count) over its members."""
    out = {"fsync_s": 0.0, "fsync_n": 0, "commit_s": 0.0, "commit_n": 0}
    if not s.etcd:
        return out
    for m in s.etcd.members:
        text = urllib.request.urlopen(m.client_url + "/metrics", timeout=10).read().decode()
        for line in text.splitlines():
            for name, key in (("etcd_disk_wal_fsync_duration_seconds", "fsync"),
                              ("etcd_disk_backend_commit_duration_seconds", "commit")):
                if line.startswith(name + "_sum "):
                    out[key + "_s"] += float(line.split()[1])
                elif line.startswith(name + "_count "):
                    out[key + "_n"] += int(float(line.split()[1]))
    return out


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def parse_ms(s):
    m = re.match(r"([\d.]+)(us|ms|s)", s)
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]


def bench_creates(duration):
    rows = []
    for conns in (1, 16, 64):
        s, d = start()
        env = dict(os.environ, SKIFF_TOKEN=s.token)
        threads = 1 if conns == 1 else 2
        cpu0, ecpu0, m0 = cpu_seconds(s.proc.pid), etcd_cpu(s), etcd_metrics(s)
        out = subprocess.run(["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--latency",
                              "-s", os.path.join(ROOT, "bench", "create_pod.lua"),
                              f"{s.url}/api/v1/namespaces/default/pods"],
                             capture_output=True, text=True, env=env).stdout
        if not re.search(r"^\s*50%\s+[\d.]+(us|ms|s)\b", out, re.M):
            print(f"wrk gave no latency figures with {conns} clients:\n{out}")
            stop(s, d)
            continue
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = parse_ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
        p99 = parse_ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        total = int(re.search(r"(\d+) requests in", out).group(1))
        m1 = etcd_metrics(s)
        fsyncs = m1["fsync_n"] - m0["fsync_n"]
        costs = dict(server_ms=(cpu_seconds(s.proc.pid) - cpu0) * 1000 / max(1, total),
                     etcd_ms=(etcd_cpu(s) - ecpu0) * 1000 / max(1, total),
                     fsync_ms=(m1["fsync_s"] - m0["fsync_s"]) * 1000 / max(1, fsyncs),
                     fsyncs_per_create=fsyncs / max(1, total),
                     commit_ms=(m1["commit_s"] - m0["commit_s"]) * 1000 / max(1, m1["commit_n"] - m0["commit_n"]))
        rows.append((conns, rate, p50, p99, int(errors.group(1)) if errors else 0, costs))
        stop(s, d)
    return rows


def wrk_creates(url, token, conns, duration):
    env = dict(os.environ, SKIFF_TOKEN=token)
    threads = 1 if conns == 1 else 2
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--latency",
                          "-s", os.path.join(ROOT, "bench", "create_pod.lua"), url],
                         capture_output=True, text=True, env=env).stdout
    if not re.search(r"^\s*50%\s+[\d.]+(us|ms|s)\b", out, re.M) or not re.search(r"^\s*99%\s+[\d.]+(us|ms|s)\b", out, re.M):
        raise RuntimeError("wrk gave no latency figures:\n" + out)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = parse_ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
    p99 = parse_ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p50, p99, int(errors.group(1)) if errors else 0


QUOTA = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "bench"},
         "spec": {"hard": {"pods": "1000000", "requests.cpu": "100000", "requests.memory": "10000Ti"}}}
LIMITS = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "bench"},
          "spec": {"limits": [{"type": "Container", "max": {"cpu": "4"}, "default": {"cpu": "500m", "memory": "128Mi"}}]}}


def bench_access(duration, rounds=int(os.environ.get("BENCH_ROUNDS", "5")), conns=16):
    """Pod creates by a service account bound to `edit` (so RBAC decides, not the admin
    shortcut) with every admission plugin on, against a server with AlwaysAllow and no
    admission: alternated in one run so load drifts hit both."""
    configs = [
        ("off: AlwaysAllow, no admission, no audit", ["--authorization-mode", "AlwaysAllow",
                                                       "--disable-admission-plugins", "all", "--audit-log-path", "none"], False),
        ("on: Node,RBAC + all admission", ["--audit-log-path", "none"], False),
        ("on, plus the audit log (the default)", [], False),
        ("on + audit, plus a LimitRange and a ResourceQuota", [], True),
    ]
    results = {name: [] for name, _, _ in configs}
    for _ in range(rounds):
        for name, extra, quota in configs:
            s, d = start(extra)
            s.kubectl("create", "namespace", "bench")
            s.kubectl("create", "serviceaccount", "bencher", "-n", "bench")
            s.kubectl("create", "rolebinding", "bencher", "--clusterrole", "edit", "--serviceaccount", "bench:bencher", "-n", "bench")
            token = s.kubectl("create", "token", "bencher", "-n", "bench").stdout.strip()
            if quota:
                s.kubectl("apply", "-n", "bench", "-f", "-", input=json.dumps(QUOTA))
                s.kubectl("apply", "-n", "bench", "-f", "-", input=json.dumps(LIMITS))
            time.sleep(1)
            cpu0 = cpu_seconds(s.proc.pid)
            rate, p50, p99, errs = wrk_creates(f"{s.url}/api/v1/namespaces/bench/pods", token, conns, duration)
            cpu_ms = (cpu_seconds(s.proc.pid) - cpu0) * 1000 / max(1, rate * duration)
            results[name].append((rate, p50, p99, errs, cpu_ms))
            stop(s, d)
    return conns, [(name, results[name]) for name, _, _ in configs]


async def create_many(s, n, prefix, concurrency=32, on_ack=None):
    """Creates n pods over `concurrency` keep-alive HTTPS connections."""
    bodies = [dict(POD, metadata={"name": f"{prefix}-{i:05d}", "labels": {"app": "bench"}}) for i in range(n)]
    await post_many(s, "/api/v1/namespaces/default/pods", bodies, concurrency,
                    on_ack=(lambda name, _sent: on_ack(name, time.monotonic())) if on_ack else None)


async def post_many(s, path, bodies, concurrency=32, on_ack=None):
    """POSTs each body over `concurrency` keep-alive HTTPS connections; `on_ack(name, sent)`
    is called with the time each request was sent, once it is answered."""
    queue = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)

    async def worker():
        r, w = await asyncio.open_connection("127.0.0.1", s.port, ssl=ctx())
        while True:
            try:
                obj = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            b = json.dumps(obj).encode()
            sent = time.monotonic()
            w.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {s.token}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(b)}\r\n\r\n".encode() + b)
            await w.drain()
            head = await r.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
            body = await r.readexactly(length)
            if not head.startswith(b"HTTP/1.1 201"):
                raise RuntimeError(body[:300])
            if on_ack:
                on_ack(obj["metadata"]["name"], sent)
        w.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def get(s, path):
    req = urllib.request.Request(s.url + path, headers={"Authorization": "Bearer " + s.token})
    with urllib.request.urlopen(req, context=ctx(), timeout=120) as r:
        return r.read()


def bench_list_and_rss():
    s, d = start()
    time.sleep(2)
    idle = rss_mb(s.proc.pid)
    asyncio.run(create_many(s, int(os.environ.get("BENCH_LIST_PODS", "10000")), "list"))
    times = []
    for _ in range(10):
        t0 = time.monotonic()
        raw = get(s, "/api/v1/namespaces/default/pods")
        times.append((time.monotonic() - t0) * 1000)
    n = len(json.loads(raw)["items"])
    loaded = rss_mb(s.proc.pid)
    stop(s, d)
    return idle, loaded, n, statistics.median(times), pct(times, 99)


WATCH_NAME_RE = re.compile(rb'"type":"ADDED".{0,2048}?"name":"(burst-\d{5})"')


def watch_client(port, token, rv, n_watchers, n_pods, timeout=300):
    """One client process's share of the watchers: each opens its own HTTPS connection, watches
    pods from `rv` and notes when (CLOCK_MONOTONIC, shared by every process on the machine) each
    ADDED event of the burst arrived. Prints "ready" once every watch is open, then one JSON line:
    its CPU seconds from ready to the end, and every receive time by pod name.

    Plain non-blocking TLS sockets under one selector, not asyncio streams: asyncio's TLS layer
    costs several times more per read, and that CPU is taken from the server being measured."""
    import selectors
    counts = [0] * n_watchers
    carry = [b""] * n_watchers
    recv = {}
    sel = selectors.DefaultSelector()
    context = ctx()
    buf = bytearray(1 << 18)
    view = memoryview(buf)
    for k in range(n_watchers):
        sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port)))
        sock.sendall(f"GET /api/v1/namespaces/default/pods?watch=true&resourceVersion={rv}&timeoutSeconds=120 HTTP/1.1\r\n"
                     f"Host: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(65536)
        carry[k] = head[head.index(b"\r\n\r\n") + 4:]
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ, k)
    cpu0 = time.process_time()
    print("ready", flush=True)
    open_socks = n_watchers
    deadline = time.monotonic() + timeout
    while open_socks and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            k, sock = key.data, key.fileobj
            data, closed = carry[k], False
            # Read everything TLS has ready into one reused buffer (recv(n) would allocate n bytes
            # every call: a fresh mapping for a large n) and scan it in C (re).
            while True:
                try:
                    got = sock.recv_into(buf)
                except (ssl.SSLWantReadError, BlockingIOError):
                    break
                if not got:
                    closed = True
                    break
                data += view[:got]
            now = time.monotonic()
            cut = data.rfind(b"\n")
            carry[k] = data[cut + 1:]
            for m in WATCH_NAME_RE.finditer(data, 0, cut + 1):
                counts[k] += 1
                recv.setdefault(m.group(1), []).append(now)
            if closed or counts[k] >= n_pods:
                sel.unregister(sock)
                sock.close()
                open_socks -= 1
    out = dict(cpu=time.process_time() - cpu0, complete=sum(1 for c in counts if c == n_pods),
               deliveries=sum(counts), recv={k.decode(): v for k, v in recv.items()})
    print(json.dumps(out), flush=True)


async def bench_watchers(n_watchers=1000, n_pods=1000, n_clients=4):
    """The watchers are spread over `n_clients` client processes: one Python process decrypting
    1,000 TLS streams is itself the limit on 2 cores and would measure the client, not the server.
    Every watcher still has its own HTTPS connection and must receive every event; latency is
    still create acknowledged (in this process) -> event read by the watcher's process."""
    s, d = start()
    acks = {}
    rv = json.loads(get(s, "/api/v1/namespaces/default/pods"))["metadata"]["resourceVersion"]
    shares = [n_watchers // n_clients + (1 if i < n_watchers % n_clients else 0) for i in range(n_clients)]
    clients = [subprocess.Popen([sys.executable, os.path.abspath(__file__), "--watch-client", str(s.port), s.token, rv,
                                 str(share), str(n_pods)], stdout=subprocess.PIPE, text=True)
               for share in shares if share > 0]
    for c in clients:
        if c.stdout.readline().strip() != "ready":
            raise RuntimeError("a watch client did not get ready")
    rss_watch = rss_mb(s.proc.pid)
    perf = None
    if os.environ.get("BENCH_PERF"):
        perf = subprocess.Popen(["perf", "record", "-g", "-F", "999", "-p", str(s.proc.pid), "-o", os.environ["BENCH_PERF"]],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
    cpu0 = cpu_seconds(s.proc.pid)
    syscw0 = write_syscalls(s.proc.pid)
    own0 = time.process_time()
    t0 = time.monotonic()
    await create_many(s, n_pods, "burst", concurrency=16, on_ack=lambda n, t: acks.__setitem__(n, t))
    create_s = time.monotonic() - t0
    creator_cpu = time.process_time() - own0
    results = []
    for c in clients:
        line = await asyncio.to_thread(c.stdout.readline)
        results.append(json.loads(line))
        c.wait()
    total = time.monotonic() - t0
    server_cpu = cpu_seconds(s.proc.pid) - cpu0
    server_writes = write_syscalls(s.proc.pid) - syscw0
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait()
    delays = [max(0.0, (t - acks[name]) * 1000) for res in results for name, ts in res["recv"].items() if name in acks
              for t in ts]
    stop(s, d)
    return dict(watchers=n_watchers, clients=len(clients), complete=sum(r["complete"] for r in results),
                deliveries=sum(r["deliveries"] for r in results), create_s=create_s, total_s=total,
                p50=pct(delays, 50), p99=pct(delays, 99), rss=rss_watch, server_cpu=server_cpu, server_writes=server_writes,
                creator_cpu=creator_cpu, client_cpu=[r["cpu"] for r in results])


def main():
    global store
    duration = int(os.environ.get("BENCH_SECONDS", "8"))
    load = os.getloadavg()
    print(f"skiff API benchmarks ({os.cpu_count()} cores, load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    for store in STORES:
        print(f"\n===== store: {store} =====")
        run_all(duration)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def run_all(duration):
    parts = set(os.environ.get("BENCH_PARTS", "creates,list,watch,access").split(","))
    if "creates" in parts:
        run_creates(duration)
    if "list" in parts:
        idle, loaded, n, med, p99 = bench_list_and_rss()
        print(f"\nList of {n} pods (JSON, one request): median {med:.0f} ms, p99 {p99:.0f} ms")
        print(f"RSS: idle {idle:.1f} MB, with {n} pods {loaded:.1f} MB")
    if "access" in parts:
        run_access(duration)
    if "watch" in parts:
        run_watch()


def run_access(duration):
    conns, rows = bench_access(duration)
    print(f"\nAccess control: pod creates by a service account bound to edit, {conns} clients, each config run"
          f" {len(rows[0][1])}x alternately")
    print(f"{'configuration':<52} {'creates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'CPU ms/create':>14}")
    base_runs = rows[0][1]
    for name, runs in rows:
        rate = statistics.median(r[0] for r in runs)
        p50 = statistics.median(r[1] for r in runs)
        p99 = statistics.median(r[2] for r in runs)
        errs = sum(r[3] for r in runs)
        cpu = statistics.median(r[4] for r in runs)
        extra = ""
        if runs is not base_runs:
            # Each round is compared with the "off" run just before it, so load that drifts
            # between rounds cancels out; the median of those ratios is reported.
            def ratio(k):
                return 100 * (statistics.median(r[k] / b[k] for r, b in zip(runs, base_runs)) - 1)
            extra = f"   p50 {ratio(1):+.0f}%, p99 {ratio(2):+.0f}%, CPU {ratio(4):+.0f}%"
        print(f"{name:<52} {rate:>10.0f} {p50:>8.2f} {p99:>8.2f} {errs:>7} {cpu:>14.2f}{extra}")
    print("per round (creates/s, p50 ms, p99 ms, CPU ms/create):")
    for name, runs in rows:
        print(f"  {name[:50]:<50} " + "  ".join(f"{r[0]:.0f}/{r[1]:.1f}/{r[2]:.1f}/{r[4]:.2f}" for r in runs))
    print("(ratios: median over rounds of each run against the 'off' run of its round; server CPU per create"
          " is the steadier figure on a busy machine, latency moves with the load)")


def run_creates(duration):
    what = {"sqlite": "SQLite with group commit, synchronous=FULL",
            "etcd-1": "one etcd member on 127.0.0.1, gRPC",
            "etcd-3": "three etcd members on 127.0.0.1, gRPC"}[store]
    print(f"\nPod creates over HTTPS (wrk, keep-alive, generateName; {what})")
    print(f"{'clients':>8} {'creates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'srv CPU ms':>10} {'etcd CPU ms':>11}"
          f" {'fsync ms':>8} {'fsync/op':>8} {'commit ms':>9}")
    for c, rate, p50, p99, errs, k in bench_creates(duration):
        print(f"{c:>8} {rate:>10.0f} {p50:>8.2f} {p99:>8.2f} {errs:>7} {k['server_ms']:>10.2f} {k['etcd_ms']:>11.2f}"
              f" {k['fsync_ms']:>8.2f} {k['fsyncs_per_create']:>8.2f} {k['commit_ms']:>9.2f}")


def run_watch():
    load = os.getloadavg()
    w = asyncio.run(bench_watchers(n_watchers=int(os.environ.get("BENCH_WATCHERS", "1000")),
                                   n_pods=int(os.environ.get("BENCH_BURST_PODS", "1000")),
                                   n_clients=int(os.environ.get("BENCH_WATCH_CLIENTS", "4"))))
    print(f"\nWatch fan-out: {w['watchers']} watchers (each its own HTTPS connection, spread over {w['clients']} client"
          f" processes) x {os.environ.get('BENCH_BURST_PODS', '1000')}-pod burst: {w['complete']}/{w['watchers']}"
          f" watchers got every event, {w['deliveries']} deliveries (load average before {load[0]:.2f})")
    print(f"  burst created in {w['create_s']:.2f} s, all delivered after {w['total_s']:.2f} s;"
          f" delivery latency (ack -> received) p50 {w['p50']:.0f} ms, p99 {w['p99']:.0f} ms; RSS with watchers {w['rss']:.1f} MB")
    print(f"  CPU during the burst: server {w['server_cpu']:.1f} s, watch clients {sum(w['client_cpu']):.1f} s"
          f" ({' + '.join(f'{c:.1f}' for c in w['client_cpu'])}), creating client {w['creator_cpu']:.1f} s;"
          f" server write syscalls {w['server_writes']} ({w['server_writes'] / max(1, w['deliveries']):.2f} per ADDED delivery)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--watch-client":
        port, token, rv, n, pods = sys.argv[2:7]
        watch_client(int(port), token, rv, int(n), int(pods))
    else:
        main()
