#!/usr/bin/env python3
"""make bench-simulate: end to end on simulated nodes. `skiff simulate` runs 500 real kubelets
(in-memory CRI runtimes) against `skiff server` on SQLite; 1,000 pods are created and followed by
watch until Running. Prints creation->bound and creation->Running latency, pods/s to Running,
and the RSS and CPU of the server and of the simulating process."""
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "acceptance"))
from api_bench import cpu_seconds, ctx, pct, post_many, rss_mb  # noqa: E402
from conftest import BIN, Server  # noqa: E402

NODES = int(os.environ.get("SKIFF_BENCH_NODES", "500"))
PODS = int(os.environ.get("SKIFF_BENCH_PODS", "1000"))


def pod(i):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p-{i:05d}"},
            "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                                     "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}}


def get(s, path):
    req = urllib.request.Request(s.url + path, headers={"Authorization": "Bearer " + s.token})
    return json.loads(urllib.request.urlopen(req, context=ctx(), timeout=60).read())


def ready_nodes(s):
    items = get(s, "/api/v1/nodes?labelSelector=skiff.io%2Fsimulated%3Dtrue")["items"]
    return sum(1 for n in items if any(c["type"] == "Ready" and c["status"] == "True"
                                       for c in n["status"].get("conditions", [])))


def watch_pods(s, rv, bound, running, done):
    """Records when each pod is first seen bound and first seen Running."""
    import http.client
    conn = http.client.HTTPSConnection("127.0.0.1", s.port, context=ctx(), timeout=900)
    conn.request("GET", f"/api/v1/namespaces/default/pods?watch=true&resourceVersion={rv}",
                 headers={"Authorization": "Bearer " + s.token})
    for line in conn.getresponse():
        t = time.monotonic()
        o = json.loads(line)["object"]
        name = o["metadata"]["name"]
        if o.get("spec", {}).get("nodeName") and name not in bound:
            bound[name] = t
        if o.get("status", {}).get("phase") == "Running" and name not in running:
            running[name] = t
            if len(running) >= PODS:
                break
    done.set()


def main():
    d = tempfile.mkdtemp(prefix="skiff-sim-bench-")
    # A cluster range with room for a /24 per node (the default /16 holds 256).
    s = Server(d, extra=["--cluster-cidr", "10.128.0.0/9"]).start()
    sim = None
    try:
        t0 = time.monotonic()
        sim = subprocess.Popen([BIN, "simulate", "--server", s.url, "--token", open(os.path.join(d, "pki", "join-token")).read().strip(),
                                "--ca-file", os.path.join(d, "pki", "ca.crt"), "--nodes", str(NODES),
                                "--data-dir", os.path.join(d, "sim")],
                               stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "simulate.log"), "wb"))
        while ready_nodes(s) < NODES:
            if sim.poll() is not None:
                raise RuntimeError(f"skiff simulate exited with {sim.returncode}; see {d}/simulate.log")
            if time.monotonic() - t0 > 300:
                raise RuntimeError(f"only {ready_nodes(s)} of {NODES} nodes Ready after 300 s")
            time.sleep(1)
        print(f"{NODES} simulated nodes Ready in {time.monotonic() - t0:.1f} s; "
              f"idle: server RSS {rss_mb(s.proc.pid):.0f} MB, simulate RSS {rss_mb(sim.pid):.0f} MB")
        time.sleep(3)
        idle0 = (cpu_seconds(s.proc.pid), cpu_seconds(sim.pid), time.monotonic())
        time.sleep(10)
        idle = ((cpu_seconds(s.proc.pid) - idle0[0]) / (time.monotonic() - idle0[2]),
                (cpu_seconds(sim.pid) - idle0[1]) / (time.monotonic() - idle0[2]))
        print(f"idle CPU (leases, status, relists): server {idle[0] * 100:.0f}% of a core, simulate {idle[1] * 100:.0f}%")

        rv = get(s, "/api/v1/namespaces/default/pods?limit=1")["metadata"]["resourceVersion"]
        bound, running, created, done = {}, {}, {}, threading.Event()
        threading.Thread(target=watch_pods, args=(s, rv, bound, running, done), daemon=True).start()
        time.sleep(0.5)
        cpu0 = (cpu_seconds(s.proc.pid), cpu_seconds(sim.pid))
        start = time.monotonic()
        asyncio.run(post_many(s, "/api/v1/namespaces/default/pods", [pod(i) for i in range(PODS)],
                              on_ack=lambda n, t: created.__setitem__(n, t)))
        created_in = time.monotonic() - start
        done.wait(timeout=900)
        total = max(running.values()) - start if running else float("nan")
        cpu = (cpu_seconds(s.proc.pid) - cpu0[0], cpu_seconds(sim.pid) - cpu0[1])
        to_bound = sorted(bound[n] - created[n] for n in bound if n in created)
        to_running = sorted(running[n] - created[n] for n in running if n in created)
        spread = {}
        for p in get(s, "/api/v1/namespaces/default/pods")["items"]:
            spread[p["spec"].get("nodeName")] = spread.get(p["spec"].get("nodeName"), 0) + 1
        print(f"{PODS} pods created in {created_in:.1f} s ({PODS / created_in:.0f}/s); {len(running)} Running "
              f"after {total:.1f} s ({len(running) / total:.0f} pods/s end to end) on {len(spread)} nodes "
              f"(at most {max(spread.values())} per node)")
        print(f"creation->bound:   p50 {pct(to_bound, 50) * 1000:.0f} ms, p99 {pct(to_bound, 99) * 1000:.0f} ms")
        print(f"creation->Running: p50 {pct(to_running, 50) * 1000:.0f} ms, p99 {pct(to_running, 99) * 1000:.0f} ms, "
              f"max {to_running[-1] * 1000:.0f} ms")
        print(f"CPU over the burst: server {cpu[0]:.1f} s, simulate {cpu[1]:.1f} s "
              f"({(cpu[0] + cpu[1]) / max(1, len(running)) * 1000:.1f} ms per pod together)")
        print(f"RSS with {NODES} nodes and {PODS} pods: server {rss_mb(s.proc.pid):.0f} MB, "
              f"simulate {rss_mb(sim.pid):.0f} MB ({rss_mb(sim.pid) * 1024 / NODES:.0f} KB per node)")
        print(f"machine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    finally:
        if sim and sim.poll() is None:
            sim.send_signal(signal.SIGTERM)
            try:
                sim.wait(timeout=60)
            except subprocess.TimeoutExpired:
                sim.kill()
                sim.wait()
        s.stop()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
