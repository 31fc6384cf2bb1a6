"""`skiff simulate`: many nodes in one process, each a real kubelet over an in-memory CRI runtime.
Pods are scheduled onto them, run (as far as the API can tell), pass exec probes and go away
again, all through the real API server and kubectl."""
import json
import os
import signal
import subprocess
import time

from conftest import BIN

NODES = 12


def wait_for(what, check, timeout=90, every=0.5):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}; last: {last}")


def simulated_nodes(s):
    out = s.kubectl("get", "nodes", "-l", "skiff.io/simulated=true", "-o", "json").stdout
    return json.loads(out)["items"]


def ready(node):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"].get("conditions", []))


def pod(name, cpu="500m", probe=False):
    container = {"name": "app", "image": "busybox", "command": ["sleep", "3600"],
                 "resources": {"requests": {"cpu": cpu, "memory": "64Mi"}}}
    if probe:
        container["readinessProbe"] = {"exec": {"command": ["true"]}, "periodSeconds": 1}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "sim"}},
            "spec": {"nodeSelector": {"skiff.io/simulated": "true"}, "containers": [container]}}


def test_simulated_nodes_run_pods(fresh_server, tmp_path):
    s = fresh_server.start()
    with open(os.path.join(s.data_dir, "pki", "join-token")) as f:
        join = f.read().strip()
    log = open(tmp_path / "simulate.log", "wb")
    sim = subprocess.Popen([BIN, "simulate", "--server", s.url, "--token", join,
                            "--ca-file", os.path.join(s.data_dir, "pki", "ca.crt"),
                            "--nodes", str(NODES), "--cpu", "4", "--relist-period", "1",
                            "--data-dir", str(tmp_path / "sim")], stdout=log, stderr=subprocess.STDOUT)
    try:
        nodes = wait_for("simulated nodes Ready",
                         lambda: (lambda ns: ns if len(ns) == NODES and all(map(ready, ns)) else None)(simulated_nodes(s)))
        names = sorted(n["metadata"]["name"] for n in nodes)
        assert names == sorted(f"sim-{i}" for i in range(NODES))
        n0 = nodes[0]
        assert n0["status"]["capacity"]["cpu"] == "4"
        assert n0["status"]["nodeInfo"]["containerRuntimeVersion"] == "skiff-simulated://0.1.0"
        # Each node joined with its own identity, so the Node authorizer holds it to its own objects.
        lease = s.kubectl("get", "lease", "-n", "kube-node-lease", "sim-3", "-o", "json").stdout
        assert json.loads(lease)["spec"]["holderIdentity"] == "sim-3"

        pods = [pod(f"p{i}", probe=(i % 5 == 0)) for i in range(30)]
        # One JSON document per pod (kubectl validates a v1 List against /openapi/v2, which is not served).
        s.kubectl("apply", "-f", "-", input="\n".join(json.dumps(p) for p in pods))

        def all_running():
            items = json.loads(s.kubectl("get", "pods", "-l", "app=sim", "-o", "json").stdout)["items"]
            ok = [p for p in items if p["status"].get("phase") == "Running"
                  and all(c.get("ready") for c in p["status"].get("containerStatuses", [{}]))]
            return items if len(ok) == 30 else None
        items = wait_for("30 pods Running and ready", all_running)
        used = {p["spec"]["nodeName"] for p in items}
        # 30 half-CPU pods on 12 four-CPU nodes: LeastAllocated spreads them.
        assert len(used) >= 10, used
        for p in items:
            ip = p["status"]["podIP"]
            index = int(p["spec"]["nodeName"].split("-")[1])
            assert ip.startswith(f"10.128.{index}."), (p["spec"]["nodeName"], ip)
            assert p["status"]["containerStatuses"][0]["state"]["running"]
        table = s.kubectl("get", "pods", "-l", "app=sim").stdout
        assert table.count("Running") == 30

        # A pod no node can hold stays Pending and says why.
        s.kubectl("apply", "-f", "-", input=json.dumps(pod("too-big", cpu="5")))
        wait_for("FailedScheduling", lambda: "Insufficient cpu" in s.kubectl("describe", "pod", "too-big").stdout)
        assert s.kubectl("get", "pod", "too-big", "-o", "jsonpath={.status.phase}").stdout == "Pending"

        # Graceful deletion goes through each pod's kubelet, which confirms it (too-big is one of them).
        s.kubectl("delete", "pods", "-l", "app=sim", "--timeout=60s")
        assert s.kubectl("get", "pods", "-o", "name").stdout.strip() == ""
    finally:
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(timeout=30)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait()
        log.close()
    assert sim.returncode == 0, open(tmp_path / "simulate.log").read()[-2000:]
    assert b"forbidden" not in open(tmp_path / "simulate.log", "rb").read()
