"""Storage through CSI on a second node: a `skiff agent` joins the server, and its kubelet
provisions the late-binding claims the scheduler selected for it through the driver on that
node (external-provisioner's node deployment); and the same with the driver as a process of its
own (`skiff csi-hostpath`, registered through the agent's plugin directory), killed with
SIGKILL in the middle of CreateVolume and of NodePublishVolume."""
import os
import subprocess

import pytest

from conftest import BIN, CONTAINERD, Agent, mounts_under, unmount_all
from test_volumes import claim, phase, pvc

BUSYBOX = "busybox"
TOPOLOGY_KEY = "topology.hostpath.csi.skiff.dev/node"


def pinned_pod(name, ns, claim_name, script, node_name=None, selector=None):
    """A pod mounting the claim at /data, bound to a node by nodeName or through the scheduler by nodeSelector."""
    spec = {"terminationGracePeriodSeconds": 1, "restartPolicy": "Never",
            "containers": [{"name": "main", "image": BUSYBOX, "command": ["sh", "-c", script],
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}]}
    if node_name:
        spec["nodeName"] = node_name
    if selector:
        spec["nodeSelector"] = {"kubernetes.io/hostname": selector}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}, "spec": spec}


def once(node):
    if node.runtime != "skiff" or not CONTAINERD:
        pytest.skip("runs once: a second node (skiff agent driving containerd) joins the first server")


def bound_volume(node, ns, name):
    c = pvc(node, ns, name)
    return node.json("get", "pv", c["spec"]["volumeName"])


def volume_dirs(state_dir):
    vols = os.path.join(state_dir, "volumes")
    return sorted(os.listdir(vols)) if os.path.isdir(vols) else []


def cleanup(node, ns, agent, extra=()):
    node.kubectl("delete", "pods", "--all", "-n", ns, "--grace-period=1", "--timeout=60s", check=False, timeout=90)
    node.kubectl("delete", "pvc", "--all", "-n", ns, "--timeout=60s", check=False, timeout=90)
    node.kubectl("delete", "pods", "--all", "-n", ns, "--grace-period=0", "--force", check=False)
    agent.kill()
    for p in extra:
        if p.poll() is None:
            p.kill()
            p.wait()
    node.kubectl("delete", "node", agent.name, check=False)
    unmount_all(agent.dir)


def test_agent_node_provisions_its_own_claims(node, ns):
    once(node)
    agent = Agent(node, "node-agent").start()
    state = agent.csi_state_dir
    try:
        node.wait(lambda: agent.ready() == "True", 60, "node-agent Ready")
        # Through the scheduler (it writes selected-node), and bound by nodeName (no annotation).
        node.apply(claim("scheduled", ns))
        node.apply(pinned_pod("scheduled", ns, "scheduled", "echo one > /data/f && sleep 3600", selector=agent.name))
        node.apply(claim("direct", ns))
        node.apply(pinned_pod("direct", ns, "direct", "echo two > /data/f && sleep 3600", node_name=agent.name))
        node.wait_status(ns, "scheduled", "Running", 120)
        node.wait_status(ns, "direct", "Running", 120)
        assert pvc(node, ns, "scheduled")["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == agent.name
        handles = {}
        for name, content in [("scheduled", "one"), ("direct", "two")]:
            pv = bound_volume(node, ns, name)
            term = pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]
            assert term == {"key": TOPOLOGY_KEY, "operator": "In", "values": [agent.name]}
            handle = pv["spec"]["csi"]["volumeHandle"]
            handles[name] = (pv["metadata"]["name"], handle)
            data = os.path.join(state, "volumes", handle, "data")
            node.wait(lambda: os.path.exists(os.path.join(data, "f")), 30, f"{name}'s file in the agent's data dir")
            assert open(os.path.join(data, "f")).read().strip() == content
            # Not on the server's driver.
            assert not os.path.exists(os.path.join(node.dir, "data", "csi-hostpath", "volumes", handle))
            assert any(r == "ProvisioningSucceeded" for r, _ in node.events(ns, name))
        # The agent labelled its node with the driver's topology and wrote its CSINode.
        assert node.json("get", "node", agent.name)["metadata"]["labels"][TOPOLOGY_KEY] == agent.name
        csinode = node.json("get", "csinode", agent.name)
        assert csinode["metadata"]["ownerReferences"][0]["name"] == agent.name
        assert csinode["spec"]["drivers"] == [{"name": "hostpath.csi.skiff.dev", "nodeID": agent.name,
                                               "topologyKeys": [TOPOLOGY_KEY]}]
        assert agent.name in node.kubectl("get", "csinodes").stdout

        node.kubectl("delete", "pods", "--all", "-n", ns, "--grace-period=1", "--timeout=60s")
        node.kubectl("delete", "pvc", "scheduled", "direct", "-n", ns, "--timeout=60s")
        for name, (pv_name, handle) in handles.items():
            node.wait(lambda: node.json("get", "pv", pv_name, check=False) is None, 60, f"{name}'s PV deleted")
            assert not os.path.exists(os.path.join(state, "volumes", handle))
        assert volume_dirs(state) == []
        assert mounts_under(agent.kubelet_root) == []
    finally:
        cleanup(node, ns, agent)


class DriverProcess:
    """`skiff csi-hostpath` as its own process beside the agent's kubelet, registered through
    its plugin directory; `kill()` is SIGKILL by PID."""

    def __init__(self, agent):
        self.agent = agent
        self.state = os.path.join(agent.dir, "csi-external")
        self.proc = None

    def start(self, pause=""):
        args = [BIN, "csi-hostpath", "--endpoint", "unix://" + os.path.join(self.agent.dir, "csi.sock"),
                "--node-id", self.agent.name, "--state-dir", self.state, "--kubelet-root-dir", self.agent.kubelet_root,
                "--log-level", "debug"]
        if pause:
            args += ["--test-pause-in", pause, "--test-pause-seconds", "120"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.agent.dir, "driver.log"), "ab"))
        return self

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def test_driver_killed_mid_provisioning_and_mount(node, ns):
    once(node)
    agent = Agent(node, "node-external", "--disable-csi")
    driver = DriverProcess(agent)
    driver.start(pause="CreateVolume")
    agent.start()
    try:
        node.wait(lambda: agent.ready() == "True", 60, "node-external Ready")
        node.wait(lambda: TOPOLOGY_KEY in node.json("get", "node", agent.name)["metadata"].get("labels", {}), 30,
                  "the external driver registered with the agent's kubelet")
        node.apply(claim("crash", ns))
        node.apply(pinned_pod("crash", ns, "crash", "echo survived > /data/f && sleep 3600", selector=agent.name))

        # Killed in CreateVolume: its directory made, its record not yet written.
        half = lambda: [v for v in volume_dirs(driver.state)
                        if not os.path.exists(os.path.join(driver.state, "volumes", v, "volume.json"))]
        node.wait(half, 60, "CreateVolume to reach its pause")
        driver.kill()
        driver.start(pause="NodePublishVolume")

        # Killed in NodePublishVolume: the pod's bind mount made, the answer not given.
        pods_dir = os.path.join(agent.kubelet_root, "pods")
        published = lambda: [m for m in mounts_under(pods_dir) if "kubernetes.io~csi" in m]
        node.wait(published, 90, "NodePublishVolume to reach its pause")
        driver.kill()
        driver.start()

        node.wait_status(ns, "crash", "Running", 120)
        pv = bound_volume(node, ns, "crash")
        handle = pv["spec"]["csi"]["volumeHandle"]
        assert volume_dirs(driver.state) == [handle], "one volume for the claim, whatever the retries"
        targets = published()
        assert len(targets) == 1, f"exactly one publish mount: {targets}"
        staging = [m for m in mounts_under(os.path.join(agent.kubelet_root, "plugins")) if m.endswith("/globalmount")]
        assert len(staging) == 1, f"exactly one staging mount: {staging}"
        data = os.path.join(driver.state, "volumes", handle, "data", "f")
        node.wait(lambda: os.path.exists(data), 30, "the pod's file in the volume")
        assert open(data).read().strip() == "survived"
        reasons = [r for r, _ in node.events(ns, "crash")]
        assert "FailedMount" in reasons

        node.kubectl("delete", "pod", "crash", "-n", ns, "--grace-period=1", "--timeout=60s")
        node.wait(lambda: mounts_under(agent.kubelet_root) == [], 30, "unpublish and unstage")
        node.kubectl("delete", "pvc", "crash", "-n", ns, "--timeout=60s")
        node.wait(lambda: node.json("get", "pv", pv["metadata"]["name"], check=False) is None, 60, "PV deleted")
        assert volume_dirs(driver.state) == []
        assert os.listdir(os.path.join(driver.state, "trash")) == []
    finally:
        cleanup(node, ns, agent, [driver.proc] if driver.proc else [])
