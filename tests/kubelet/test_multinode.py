"""Three nodes on one machine, each in a network namespace of its own: `skiff server` and two
`skiff agent`s, joined over a bridge. Each node gets a pod range from the server's node IPAM
(`spec.podCIDR`, carved from --cluster-cidr), its runtime's network uses it, and every node
routes the other nodes' ranges through their addresses, so a pod on one node reaches pods on
the others. Every address here lives inside namespaces this test creates, and they are deleted
at the end. Our runtime only: each node runs its own, inside its namespace."""
import json
import os
import signal
import subprocess
import time

import pytest

from conftest import BIN, CGROUP_ROOT, RUNTIMES, T, Node, unmount_all

pytestmark = pytest.mark.skipif("skiff" not in RUNTIMES, reason="each node runs our runtime in its own namespace")

LAN = "10.215.0"          # the nodes' own network, on a bridge in the server's namespace
CLUSTER_CIDR = "10.216.0.0/16"
REGISTRY_DATA = os.path.join(T, "registry", "data")


def ip(*args, check=True):
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)


class NamespacedNode(Node):
    """`skiff server` inside network namespace `netns`, with kubectl run there too."""

    def __init__(self, netns, address, registry):
        super().__init__("skiff")
        self.netns = netns
        self.address = address
        self.registry = registry
        self.name = "mn-server"
        self.dir = os.path.join(T, "multinode", "server")
        os.makedirs(self.dir, exist_ok=True)
        self.port = 6443

    def enter(self):
        return ["nsenter", f"--net=/run/netns/{self.netns}"]

    def args(self):
        rt = os.path.join(self.dir, "runtime")
        return self.enter() + [
            BIN, "server", "--data-dir", os.path.join(self.dir, "data"), "--bind-address", "0.0.0.0",
            "--port", str(self.port), "--node-name", self.name, "--node-ip", self.address, "--kubelet-address", self.address,
            "--kubelet-port", "10250", "--kubelet-root-dir", os.path.join(self.dir, "kubelet"),
            "--pod-logs-dir", os.path.join(self.dir, "pod-logs"), "--kubelet-cgroup-root", f"{CGROUP_ROOT}/kubepods-mn-server",
            "--listen", os.path.join(rt, "cri.sock"), "--state-dir", os.path.join(rt, "state"), "--root-dir", os.path.join(rt, "root"),
            "--cni-conf-dir", os.path.join(rt, "net.d"), "--registry-mirror", f"docker.io=http://{self.registry}",
            "--cgroup-root", f"{CGROUP_ROOT}/skiff-mn-server", "--cluster-cidr", CLUSTER_CIDR, "--disable-csi"]

    def kubectl(self, *args, check=True, input=None, timeout=90):
        cmd = self.enter() + ["kubectl", "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache_dir] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, input=input, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p


class NamespacedAgent:
    def __init__(self, server, netns, name, address):
        self.dir = os.path.join(T, "multinode", name)
        os.makedirs(self.dir, exist_ok=True)
        rt = os.path.join(self.dir, "runtime")
        token = open(os.path.join(server.dir, "data", "pki", "join-token")).read().strip()
        self.args = ["nsenter", f"--net=/run/netns/{netns}", BIN, "agent", "--server", f"https://{server.address}:{server.port}",
                     "--token", token, "--ca-file", os.path.join(server.dir, "data", "pki", "ca.crt"), "--node-name", name,
                     "--node-ip", address, "--kubelet-address", address, "--kubelet-port", "10250",
                     "--kubelet-root-dir", os.path.join(self.dir, "kubelet"), "--pod-logs-dir", os.path.join(self.dir, "logs"),
                     "--kubelet-cgroup-root", f"{CGROUP_ROOT}/kubepods-{name}",
                     "--listen", os.path.join(rt, "cri.sock"), "--state-dir", os.path.join(rt, "state"),
                     "--root-dir", os.path.join(rt, "root"), "--cni-conf-dir", os.path.join(rt, "net.d"),
                     "--registry-mirror", f"docker.io=http://{server.registry}", "--cgroup-root", f"{CGROUP_ROOT}/skiff-{name}",
                     "--disable-csi"]
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "log"), "ab"))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def cluster():
    tag = f"mn{os.getpid() % 100000}"
    spaces = {role: f"{tag}-{role}" for role in ("srv", "a1", "a2")}
    procs, agents, server = [], [], None
    try:
        for netns in spaces.values():
            ip("netns", "add", netns)
            ip("-n", netns, "link", "set", "lo", "up")
        srv = spaces["srv"]
        ip("-n", srv, "link", "add", "lan0", "type", "bridge")
        ip("-n", srv, "addr", "add", f"{LAN}.1/24", "dev", "lan0")
        ip("-n", srv, "link", "set", "lan0", "up")
        for k, role in ((2, "a1"), (3, "a2")):
            ip("-n", srv, "link", "add", f"lan-{role}", "type", "veth", "peer", "name", "eth0", "netns", spaces[role])
            ip("-n", srv, "link", "set", f"lan-{role}", "master", "lan0", "up")
            ip("-n", spaces[role], "addr", "add", f"{LAN}.{k}/24", "dev", "eth0")
            ip("-n", spaces[role], "link", "set", "eth0", "up")
        # The test registry's images, served to the nodes from inside the server's namespace.
        registry = f"{LAN}.1:5000"
        cfg = os.path.join(T, "multinode", "registry.yml")
        os.makedirs(os.path.dirname(cfg), exist_ok=True)
        with open(cfg, "w") as f:
            f.write(f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {REGISTRY_DATA}\n"
                    f"http:\n  addr: {registry}\n")
        procs.append(subprocess.Popen(["nsenter", f"--net=/run/netns/{srv}", "docker-registry", "serve", cfg],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        server = NamespacedNode(srv, f"{LAN}.1", registry).start(timeout=90)
        agents = [NamespacedAgent(server, spaces["a1"], "mn-a1", f"{LAN}.2"),
                  NamespacedAgent(server, spaces["a2"], "mn-a2", f"{LAN}.3")]
        yield server, spaces
    finally:
        if server:
            server.kubectl("delete", "pods", "--all", "-n", "default", "--grace-period=1", "--timeout=60s", check=False, timeout=120)
        for a in agents:
            a.stop()
        if server:
            server.stop()
        for p in procs:
            p.kill()
            p.wait()
        unmount_all(os.path.join(T, "multinode"))
        for netns in spaces.values():
            ip("netns", "del", netns, check=False)


def nodes(server):
    return {n["metadata"]["name"]: n for n in server.json("get", "nodes")["items"]}


def ready(n):
    return {c["type"]: c["status"] for c in n.get("status", {}).get("conditions", [])}.get("Ready") == "True"


def in_range(address, cidr):
    base, bits = cidr.split("/")
    def num(a):
        return int.from_bytes(bytes(int(x) for x in a.split(".")), "big")
    mask = (0xFFFFFFFF << (32 - int(bits))) & 0xFFFFFFFF
    return num(address) & mask == num(base) & mask


def test_pods_on_three_nodes_reach_each_other(cluster):
    server, spaces = cluster
    names = ["mn-server", "mn-a1", "mn-a2"]
    found = server.wait(lambda: (lambda ns: ns if all(n in ns and ready(ns[n]) and ns[n]["spec"].get("podCIDR") for n in names)
                                 else None)(nodes(server)), 90, "three Ready nodes with pod ranges")
    ranges = {n: found[n]["spec"]["podCIDR"] for n in names}
    assert len(set(ranges.values())) == 3, ranges
    for n in names:
        assert in_range(ranges[n].split("/")[0], CLUSTER_CIDR) and ranges[n].endswith("/24")
        assert found[n]["spec"]["podCIDRs"] == [ranges[n]]

    # Each node routes the other two ranges through their addresses.
    addresses = {"mn-server": f"{LAN}.1", "mn-a1": f"{LAN}.2", "mn-a2": f"{LAN}.3"}
    for role, me in (("srv", "mn-server"), ("a1", "mn-a1"), ("a2", "mn-a2")):
        def routes():
            out = ip("-n", spaces[role], "-j", "route", "show", "proto", "83").stdout
            got = {(r["dst"], r.get("gateway")) for r in json.loads(out or "[]")}
            return got if got == {(ranges[o], addresses[o]) for o in names if o != me} else None
        server.wait(routes, 30, f"routes on {me}")

    for n in names:
        server.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"web-{n}", "namespace": "default"},
                      "spec": {"nodeSelector": {"kubernetes.io/hostname": n}, "terminationGracePeriodSeconds": 1,
                               "containers": [{"name": "web", "image": "busybox", "command": ["sh", "-c",
                                               f"mkdir -p /www && echo hello-from-{n} > /www/index.html && exec httpd -f -p 8080 -h /www"],
                                               "readinessProbe": {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 1}}]}})
    def all_ready():
        pods = {p["metadata"]["name"]: p for p in server.json("get", "pods", "-n", "default")["items"]}
        ok = all(pods.get(f"web-{n}", {}).get("status", {}).get("containerStatuses", [{}])[0].get("ready") for n in names)
        return pods if ok else None
    pods = server.wait(all_ready, 120, "a ready web pod on every node")
    ips = {}
    for n in names:
        p = pods[f"web-{n}"]
        assert p["spec"]["nodeName"] == n
        assert p["status"]["hostIP"] == addresses[n]
        ips[n] = p["status"]["podIP"]
        assert in_range(ips[n], ranges[n]), (n, ips[n], ranges[n])

    # Every pod reaches every other node's pod at its own address (no NAT between nodes' pods).
    # busybox-static's `wget -T` crashes on this machine, so `timeout` bounds each call.
    for src in names:
        for dst in names:
            if src == dst:
                continue
            out = server.kubectl("exec", f"web-{src}", "--", "timeout", "10", "wget", "-q", "-O", "-", f"http://{ips[dst]}:8080/").stdout
            assert out == f"hello-from-{dst}\n", (src, dst, out)

    # Pods without host networking reach the API server with their service account token, from
    # the server's node and from an agent (KUBERNETES_SERVICE_HOST is the server's node address).
    server.kubectl("create", "serviceaccount", "reader")
    server.kubectl("create", "rolebinding", "reader-view", "--clusterrole", "view", "--serviceaccount", "default:reader")
    sa = "/var/run/secrets/kubernetes.io/serviceaccount"
    call = (f'wget -q -O - --no-check-certificate --header "Authorization: Bearer $(cat {sa}/token)" '
            'https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/default/pods')
    for n in ("mn-server", "mn-a1"):
        server.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"caller-{n}", "namespace": "default"},
                      "spec": {"nodeSelector": {"kubernetes.io/hostname": n}, "serviceAccountName": "reader",
                               "restartPolicy": "Never", "terminationGracePeriodSeconds": 1,
                               "containers": [{"name": "c", "image": "busybox", "command": ["sh", "-c",
                                               f'{call} | grep -q web-mn-a1 && echo list-ok; echo $KUBERNETES_SERVICE_HOST']}]}})
    for n in ("mn-server", "mn-a1"):
        server.wait(lambda: server.json("get", "pod", f"caller-{n}")["status"].get("phase") == "Succeeded", 60, f"caller on {n}")
        assert server.kubectl("logs", f"caller-{n}").stdout.split() == ["list-ok", f"{LAN}.1"], n

    # A node that leaves takes its route with it.
    server.kubectl("delete", "pod", "web-mn-a2", "--grace-period=1")
    server.kubectl("delete", "node", "mn-a2")
    def route_gone():
        out = ip("-n", spaces["a1"], "-j", "route", "show", "proto", "83").stdout
        return {r["dst"] for r in json.loads(out or "[]")} == {ranges["mn-server"]}
    server.wait(route_gone, 30, "mn-a2's route removed on mn-a1")
