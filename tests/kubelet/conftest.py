"""Kubelet acceptance: a `skiff server` with its kubelet, driving our runtime (in-process) or
containerd, checked through the real kubectl. tests/kubelet/run.sh provides the registry,
containerd and a scratch directory T; every server, pod and file lives under T."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

import pytest

BIN = os.environ["SKIFF_BIN"]
T = os.environ["T"]
REGISTRY = os.environ["REGISTRY"]
CGROUP_ROOT = os.environ["CGROUP_ROOT"]
CONTAINERD = os.environ.get("SKIFF_CONTAINERD_SOCK")
RUNTIMES = [r for r in os.environ.get("SKIFF_KUBELET_RUNTIMES", "skiff,containerd").split(",") if r]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """An all-in-one server whose kubelet registers node `name`."""

    def __init__(self, runtime):
        self.runtime = runtime
        self.name = f"node-{runtime}"
        self.dir = os.path.join(T, f"server-{runtime}")
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.kubelet_port = free_port()
        self.cache_dir = tempfile.mkdtemp(prefix="kubectl-cache-", dir=T)
        self.proc = None

    @property
    def kubeconfig(self):
        return os.path.join(self.dir, "data", "admin.kubeconfig")

    def args(self):
        a = [BIN, "server", "--data-dir", os.path.join(self.dir, "data"), "--port", str(self.port),
             "--node-name", self.name, "--node-ip", "127.0.0.1", "--kubelet-address", "127.0.0.1",
             "--kubelet-port", str(self.kubelet_port), "--kubelet-root-dir", os.path.join(self.dir, "kubelet"),
             "--pod-logs-dir", os.path.join(self.dir, "pod-logs"),
             "--kubelet-cgroup-root", f"{CGROUP_ROOT}/kubepods-{self.runtime}"]
        if self.runtime == "containerd":
            a += ["--container-runtime-endpoint", "unix://" + CONTAINERD]
        else:
            rt = os.path.join(T, "skiff-node")
            a += ["--listen", os.path.join(rt, "cri.sock"), "--state-dir", os.path.join(rt, "state"),
                  "--root-dir", os.path.join(rt, "root"), "--cni-conf-dir", os.path.join(rt, "net.d"),
                  "--registry-mirror", f"docker.io=http://{REGISTRY}", "--cgroup-root", f"{CGROUP_ROOT}/skiff-node"]
        return a

    def start(self, timeout=60):
        log = open(os.path.join(self.dir, "server.log"), "ab")
        self.proc = subprocess.Popen(self.args(), stdout=subprocess.PIPE, stderr=log)
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise RuntimeError(f"skiff server exited; see {self.dir}/server.log")
            if b"ready on" in line:
                break
        self.wait(lambda: self.json("get", "node", self.name, check=False) is not None, 30, "node registered")
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kubectl(self, *args, check=True, input=None, timeout=90):
        cmd = ["kubectl", "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache_dir] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, input=input, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p

    def json(self, *args, check=True):
        p = self.kubectl(*args, "-o", "json", check=check)
        return json.loads(p.stdout) if p.returncode == 0 else None

    def apply(self, manifest):
        return self.kubectl("apply", "-f", "-", input=json.dumps(manifest))

    @staticmethod
    def wait(cond, timeout, what):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            last = cond()
            if last:
                return last
            time.sleep(0.3)
        raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")

    def pod(self, ns, name):
        return self.json("get", "pod", name, "-n", ns, check=False)

    def status_column(self, ns, name):
        p = self.kubectl("get", "pod", name, "-n", ns, "--no-headers", check=False)
        parts = p.stdout.split()
        return parts[2] if len(parts) >= 3 else ""

    def wait_status(self, ns, name, want, timeout=60):
        return self.wait(lambda: self.status_column(ns, name) == want, timeout, f"{name} to show {want} "
                         f"(now {self.status_column(ns, name)})")

    def events(self, ns, name):
        e = self.json("get", "events", "-n", ns, "--field-selector", f"involvedObject.name={name}")
        return [(i["reason"], i["message"]) for i in e["items"]]


class Agent:
    """`skiff agent` joining a server's cluster with its join token (then acting as
    system:node:<name>), driving containerd; its files under T/<dir>."""

    def __init__(self, server, name, *extra):
        self.server = server
        self.name = name
        self.dir = os.path.join(T, name)
        os.makedirs(self.dir, exist_ok=True)
        token = open(os.path.join(server.dir, "data", "pki", "join-token")).read().strip()
        self.args = [BIN, "agent", "--server", f"https://127.0.0.1:{server.port}", "--token", token,
                     "--ca-file", os.path.join(server.dir, "data", "pki", "ca.crt"), "--node-name", name,
                     "--node-ip", "127.0.0.1", "--kubelet-address", "127.0.0.1", "--kubelet-port", str(free_port()),
                     "--container-runtime-endpoint", "unix://" + CONTAINERD, "--kubelet-root-dir", self.kubelet_root,
                     "--pod-logs-dir", os.path.join(self.dir, "logs"), "--kubelet-cgroup-root", f"{CGROUP_ROOT}/kubepods-{name}",
                     "--csi-state-dir", self.csi_state_dir, *extra]
        self.proc = None

    @property
    def kubelet_root(self):
        return os.path.join(self.dir, "kubelet")

    @property
    def csi_state_dir(self):
        """Where the agent's in-process host-path driver keeps its volumes."""
        return os.path.join(self.dir, "csi-hostpath")

    def start(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "log"), "ab"))
        return self

    def ready(self):
        n = self.server.json("get", "node", self.name, check=False)
        return n and {c["type"]: c["status"] for c in n["status"]["conditions"]}.get("Ready")

    def kill(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def mounts_under(path):
    """Mount points under `path` (from /proc/self/mountinfo), each as often as it is mounted."""
    out = []
    for line in open("/proc/self/mountinfo"):
        point = line.split(" ")[4].replace("\\040", " ")
        if point.startswith(path.rstrip("/") + "/"):
            out.append(point)
    return out


def unmount_all(path):
    for point in sorted(set(mounts_under(path)), reverse=True):
        subprocess.run(["umount", "-l", point], check=False)


@pytest.fixture(scope="module", params=RUNTIMES)
def node(request):
    n = Node(request.param).start()
    yield n
    # Stop every pod's containers before the server goes.
    n.kubectl("delete", "pods", "--all", "--all-namespaces", "--grace-period=1", "--timeout=60s", check=False, timeout=120)
    n.stop()


@pytest.fixture()
def ns(node, request):
    name = "t-" + request.node.originalname.replace("_", "-").lower()[:40].rstrip("-")
    node.kubectl("create", "namespace", name, check=False)
    yield name
    node.kubectl("delete", "pods", "--all", "-n", name, "--grace-period=1", "--wait=false", check=False)


def pod(name, ns, containers, node_name, **spec):
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"nodeName": node_name, "terminationGracePeriodSeconds": 2, "containers": containers}}
    body["spec"].update(spec)
    return body
