#!/usr/bin/env python3
"""make bench-scheduler (through the API server): scheduling throughput and creation->bound
latency for 10,000 pods on 5,000 static Node objects, as Kubernetes' scheduler_perf does, with
the scheduler inside `skiff server` on its SQLite store and everything over real HTTPS. Prints
pods/s (overall and over the middle 80% of bindings), latency percentiles and server RSS."""
import asyncio
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "acceptance"))
from api_bench import cpu_seconds, ctx, pct, post_many, rss_mb, stop  # noqa: E402
from conftest import Server  # noqa: E402
import tempfile  # noqa: E402

NODES = int(os.environ.get("SKIFF_BENCH_NODES", "5000"))
PODS = int(os.environ.get("SKIFF_BENCH_PODS", "10000"))


def now_rfc3339():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def node(i):
    stamp = now_rfc3339()
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": f"node-{i:05d}", "labels": {"kubernetes.io/hostname": f"node-{i:05d}",
                                                             "zone": f"z{i % 3}"}},
            "status": {"capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                       "allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                       "lastHeartbeatTime": stamp, "lastTransitionTime": stamp}]}}


def pod(i):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p-{i:05d}"},
            "spec": {"containers": [{"name": "main", "image": "busybox:1.36",
                                     "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}}


def watch_bindings(s, rv, bound, done):
    """Reads the pod watch; records when each pod is first seen with a node."""
    import http.client
    conn = http.client.HTTPSConnection("127.0.0.1", s.port, context=ctx(), timeout=600)
    conn.request("GET", f"/api/v1/pods?watch=true&resourceVersion={rv}",
                 headers={"Authorization": "Bearer " + s.token})
    resp = conn.getresponse()
    for line in resp:
        t = time.monotonic()
        ev = json.loads(line)
        o = ev["object"]
        name = o["metadata"]["name"]
        if o.get("spec", {}).get("nodeName") and name not in bound:
            bound[name] = t
            if len(bound) >= PODS:
                break
    done.set()


def main():
    d = tempfile.mkdtemp(prefix="skiff-sched-bench-")
    s = Server(d, extra=["--disable-controllers"]).start()
    try:
        t0 = time.monotonic()
        asyncio.run(post_many(s, "/api/v1/nodes", [node(i) for i in range(NODES)]))
        print(f"{NODES} nodes created in {time.monotonic() - t0:.1f} s")
        import urllib.request
        req = urllib.request.Request(s.url + "/api/v1/pods?limit=1", headers={"Authorization": "Bearer " + s.token})
        rv = json.loads(urllib.request.urlopen(req, context=ctx()).read())["metadata"]["resourceVersion"]
        time.sleep(2)  # the scheduler's node cache catches up
        bound, created, done = {}, {}, threading.Event()
        th = threading.Thread(target=watch_bindings, args=(s, rv, bound, done), daemon=True)
        th.start()
        time.sleep(0.5)
        start = time.monotonic()
        cpu0 = cpu_seconds(s.proc.pid)
        asyncio.run(post_many(s, "/api/v1/namespaces/default/pods", [pod(i) for i in range(PODS)],
                             on_ack=lambda n, t: created.__setitem__(n, t)))
        created_in = time.monotonic() - start
        done.wait(timeout=600)
        cpu = cpu_seconds(s.proc.pid) - cpu0
        times = sorted(bound.values())
        total = times[-1] - start if times else float("nan")
        lo, hi = times[int(len(times) * 0.1)], times[int(len(times) * 0.9) - 1]
        sustained = (int(len(times) * 0.9) - int(len(times) * 0.1)) / (hi - lo) if hi > lo else float("nan")
        lat = sorted(bound[n] - created[n] for n in bound if n in created)
        print(f"{PODS} pods created in {created_in:.1f} s ({PODS / created_in:.0f}/s); {len(bound)} bound")
        print(f"scheduling throughput: {len(bound) / total:.0f} pods/s overall, {sustained:.0f} pods/s over the middle 80%")
        print(f"creation->bound latency: p50 {pct(lat, 50) * 1000:.0f} ms, p99 {pct(lat, 99) * 1000:.0f} ms, "
              f"max {lat[-1] * 1000:.0f} ms")
        print(f"server CPU while creating and scheduling: {cpu:.1f} s over {total:.1f} s "
              f"({cpu / total * 100:.0f}% of one core), {cpu / max(1, len(bound)) * 1e6:.0f} us per pod")
        print(f"server RSS with {NODES} nodes and {PODS} pods: {rss_mb(s.proc.pid):.0f} MB")
        print(f"machine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    finally:
        stop(s, d)


if __name__ == "__main__":
    main()
