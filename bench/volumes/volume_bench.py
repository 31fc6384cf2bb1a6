"""Pod startup with one dynamically provisioned volume (a claim of the default StorageClass,
late binding, our host-path CSI driver) vs the same pod with an emptyDir, interleaved one pod at
a time so both see the same machine. The clock starts client-side just before the first POST
(the claim's, for the volume pod) and stops at the watch event that shows the pod Running with
its container started. Prints p50/p99 of each, the difference, and the load average."""
import os
import threading
import time

from kubernetes import client, config, watch

N = int(os.environ.get("BENCH_PODS", "20"))
NS = "bench-volumes"
config.load_kube_config()
core = client.CoreV1Api()


def wait_node():
    deadline = time.time() + 60
    while time.time() < deadline:
        for n in core.list_node().items:
            if any(c.type == "Ready" and c.status == "True" for c in n.status.conditions or []):
                return
        time.sleep(0.3)
    raise SystemExit("node did not become ready")


def wait_default_class():
    deadline = time.time() + 60
    while time.time() < deadline:
        if any(sc.metadata.name == "skiff-hostpath" for sc in client.StorageV1Api().list_storage_class().items):
            return
        time.sleep(0.3)
    raise SystemExit("default StorageClass missing")


def pod(name, volume):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"terminationGracePeriodSeconds": 0,
                     "containers": [{"name": "main", "image": "busybox:latest", "imagePullPolicy": "IfNotPresent",
                                     "command": ["sleep", "3600"], "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                     "volumes": [dict(name="data", **volume)]}}


def claim(name):
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "8Mi"}}}}


class Watcher:
    """One watch over the namespace; records when each pod first shows Running and started."""

    def __init__(self):
        self.running = {}
        self.cond = threading.Condition()
        self.ready = threading.Event()
        threading.Thread(target=self.loop, daemon=True).start()
        self.ready.wait(10)

    def loop(self):
        while True:
            w = watch.Watch()
            self.ready.set()
            for ev in w.stream(core.list_namespaced_pod, NS, timeout_seconds=300, _request_timeout=310):
                p = ev["object"]
                statuses = p.status.container_statuses or []
                if p.status.phase == "Running" and statuses and all(s.started and s.state.running for s in statuses):
                    with self.cond:
                        self.running.setdefault(p.metadata.name, time.monotonic())
                        self.cond.notify_all()

    def wait(self, name, timeout=60):
        with self.cond:
            self.cond.wait_for(lambda: name in self.running, timeout)
            return self.running.get(name)


def pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    wait_node()
    wait_default_class()
    core.create_namespace({"metadata": {"name": NS}})
    w = Watcher()
    # Warm-up: the image is pulled and the driver registered before anything is timed.
    core.create_namespaced_pod(NS, pod("warm", {"emptyDir": {}}))
    if w.wait("warm", 120) is None:
        raise SystemExit("warm-up pod did not start")
    core.create_namespaced_persistent_volume_claim(NS, claim("warm-claim"))
    core.create_namespaced_pod(NS, pod("warm-vol", {"persistentVolumeClaim": {"claimName": "warm-claim"}}))
    if w.wait("warm-vol", 120) is None:
        raise SystemExit("warm-up volume pod did not start")

    empty, volume, missing = [], [], 0
    for i in range(N):
        start = time.monotonic()
        core.create_namespaced_pod(NS, pod(f"empty-{i}", {"emptyDir": {}}))
        t = w.wait(f"empty-{i}")
        if t is None:
            missing += 1
        else:
            empty.append(t - start)
        start = time.monotonic()
        core.create_namespaced_persistent_volume_claim(NS, claim(f"claim-{i}"))
        core.create_namespaced_pod(NS, pod(f"vol-{i}", {"persistentVolumeClaim": {"claimName": f"claim-{i}"}}))
        t = w.wait(f"vol-{i}")
        if t is None:
            missing += 1
        else:
            volume.append(t - start)

    print(f"\nPod startup, create -> Running (via watch), {N} pods each, interleaved, milliseconds")
    print(f"{'volume':<34}{'p50':>8}{'p99':>8}{'max':>8}{'n':>5}")
    for label, xs in (("emptyDir", empty), ("dynamically provisioned CSI claim", volume)):
        if xs:
            print(f"{label:<34}{pct(xs, 50) * 1000:>8.0f}{pct(xs, 99) * 1000:>8.0f}{max(xs) * 1000:>8.0f}{len(xs):>5}")
    if empty and volume:
        print(f"volume adds at p50: {(pct(volume, 50) - pct(empty, 50)) * 1000:.0f} ms (target <= 100 ms)")
    if missing:
        print(f"missing: {missing} pods did not start within 60 s")
    print(f"machine: {os.cpu_count()} cpus, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    core.delete_collection_namespaced_pod(NS, grace_period_seconds=0)


if __name__ == "__main__":
    main()
