"""Pod startup latency per Kubernetes' SLO definition, measured through the real API server:
from the pod's creation to the watch event that shows every container started (image
present). Creation is taken client-side, just before the POST, because creationTimestamp has
only second precision. Prints p50/p99 per burst and runtime, then the kubelet's RSS with 100 pods."""
import concurrent.futures
import os
import statistics
import threading
import sys
import time

from kubernetes import client, config, watch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rss"))
from idle_rss import rollup  # noqa: E402

T = os.environ["T"]
config.load_kube_config()
core = client.CoreV1Api()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wait_nodes():
    deadline = time.time() + 60
    while time.time() < deadline:
        ready = {n.metadata.name for n in core.list_node().items
                 if any(c.type == "Ready" and c.status == "True" for c in n.status.conditions or [])}
        if {"node-skiff", "node-containerd"} <= ready:
            return
        time.sleep(0.5)
    raise SystemExit("nodes did not become ready")


def manifest(name, node):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"nodeName": node, "terminationGracePeriodSeconds": 0,
                     "containers": [{"name": "main", "image": "busybox:latest", "imagePullPolicy": "IfNotPresent",
                                     "command": ["sleep", "3600"]}]}}


def started(pod):
    statuses = pod.status.container_statuses or []
    return len(statuses) == len(pod.spec.containers) and all(s.started and s.state.running for s in statuses)


def burst(ns, node, n, tag):
    names = [f"{tag}-{i}" for i in range(n)]
    created, done = {}, {}
    ready = threading.Event()

    def watcher():
        w = watch.Watch()
        for ev in w.stream(core.list_namespaced_pod, ns, timeout_seconds=120, _request_timeout=130):
            if not ready.is_set():
                ready.set()
            p = ev["object"]
            if p.metadata.name in created and p.metadata.name not in done and started(p):
                done[p.metadata.name] = time.monotonic()
                if len(done) == n:
                    w.stop()
    th = threading.Thread(target=watcher, daemon=True)
    th.start()
    time.sleep(0.5)

    def create(name):
        created[name] = time.monotonic()
        core.create_namespaced_pod(ns, manifest(name, node))
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(n, 16)) as pool:
        list(pool.map(create, names))
    th.join(timeout=120)
    lat = sorted(done[k] - created[k] for k in done)
    missing = n - len(lat)
    return lat, missing


def pct(values, p):
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def clean(ns):
    core.delete_collection_namespaced_pod(ns, grace_period_seconds=0)
    deadline = time.time() + 120
    while time.time() < deadline and core.list_namespaced_pod(ns).items:
        time.sleep(0.5)


def main():
    wait_nodes()
    results = []
    for runtime in ("skiff", "containerd"):
        node = f"node-{runtime}"
        ns = f"bench-{runtime}"
        core.create_namespace({"metadata": {"name": ns}})
        # Warm-up: the image is pulled once, so bursts measure startup with the image present.
        burst(ns, node, 1, "warm")
        clean(ns)
        for n in (1, 10, 50):
            lat, missing = burst(ns, node, n, f"b{n}")
            results.append((runtime, n, pct(lat, 50), pct(lat, 99), max(lat) if lat else float("nan"), missing))
            clean(ns)
    print("\nPod startup latency (create -> all containers started, via watch), milliseconds")
    print(f"{'runtime':<12}{'burst':>6}{'p50':>10}{'p99':>10}{'max':>10}{'missing':>9}")
    for runtime, n, p50, p99, mx, missing in results:
        print(f"{runtime:<12}{n:>6}{p50 * 1000:>10.0f}{p99 * 1000:>10.0f}{mx * 1000:>10.0f}{missing:>9}")

    # Kubelet memory with 100 pods, for both agents (each a kubelet only; runtimes run apart).
    print("\nKubelet RSS with 100 pods (skiff agent, runtime in its own process)")
    for runtime in ("skiff", "containerd"):
        ns = f"bench-{runtime}"
        pid = int(open(f"{T}/agent-{runtime}.pid").read())
        before = rss_kb(pid)
        lat, missing = burst(ns, f"node-{runtime}", 100, "mem")
        time.sleep(15)
        after = rss_kb(pid)
        parts = rollup(pid)
        anon, file = parts.get("Anonymous", 0), parts.get("Rss", 0) - parts.get("Anonymous", 0)
        line = (f"{runtime:<12} idle {before / 1024:6.1f} MB   100 pods {after / 1024:6.1f} MB"
                f" (anonymous {anon / 1024:.1f}, file-backed {file / 1024:.1f})"
                f"   (started {100 - missing}/100, p99 {pct(lat, 99) * 1000:.0f} ms)")
        if runtime == "skiff" and os.environ.get("SKIFF_RUNTIME_PID"):
            line += f"   skiff runtime RSS {rss_kb(int(os.environ['SKIFF_RUNTIME_PID'])) / 1024:.1f} MB"
        print(line)
        clean(ns)
    print(f"\nmachine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
