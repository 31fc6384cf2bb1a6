"""Real etcd processes on 127.0.0.1 for tests and benchmarks: one member or a cluster of several,
each with free ports and its own data directory, stopped by PID and removed afterwards."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

ETCD = shutil.which("etcd") or "/usr/bin/etcd"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Member:
    def __init__(self, name, data_dir):
        self.name = name
        self.data_dir = data_dir
        self.client_port = free_port()
        self.peer_port = free_port()
        self.proc = None

    @property
    def client_url(self):
        return f"http://127.0.0.1:{self.client_port}"

    @property
    def peer_url(self):
        return f"http://127.0.0.1:{self.peer_port}"


class EtcdCluster:
    """`size` etcd members forming one cluster."""

    def __init__(self, size=1, base_dir=None):
        if not os.path.exists(ETCD):
            raise RuntimeError("etcd is not installed (scripts/install-deps.sh installs etcd-server)")
        self.own_dir = base_dir is None
        self.base_dir = base_dir or tempfile.mkdtemp(prefix="skiff-etcd-")
        self.members = [Member(f"m{i}", os.path.join(self.base_dir, f"m{i}")) for i in range(size)]

    @property
    def endpoints(self):
        return ",".join(m.client_url for m in self.members)

    def start(self, timeout=30):
        initial = ",".join(f"{m.name}={m.peer_url}" for m in self.members)
        for m in self.members:
            self._launch(m, initial)
        self.wait_healthy(timeout)
        return self

    def _launch(self, m, initial):
        os.makedirs(m.data_dir, exist_ok=True)
        log = open(os.path.join(m.data_dir, "etcd.log"), "ab")
        m.proc = subprocess.Popen(
            [ETCD, "--name", m.name, "--data-dir", os.path.join(m.data_dir, "data"),
             "--listen-client-urls", m.client_url, "--advertise-client-urls", m.client_url,
             "--listen-peer-urls", m.peer_url, "--initial-advertise-peer-urls", m.peer_url,
             "--initial-cluster", initial, "--initial-cluster-state", "new",
             "--initial-cluster-token", "skiff-" + os.path.basename(self.base_dir),
             "--logger", "zap", "--log-level", "warn"],
            stdout=log, stderr=log)

    def wait_healthy(self, timeout=30, members=None):
        deadline = time.time() + timeout
        members = members or [m for m in self.members if m.proc and m.proc.poll() is None]
        while time.time() < deadline:
            p = subprocess.run(["etcdctl", "--endpoints", ",".join(m.client_url for m in members),
                                "--command-timeout=2s", "endpoint", "health"],
                               capture_output=True, text=True, env=dict(os.environ, ETCDCTL_API="3"))
            if p.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"etcd did not become healthy: {p.stdout}{p.stderr}")

    def kill(self, index, sig=signal.SIGKILL):
        m = self.members[index]
        if m.proc and m.proc.poll() is None:
            m.proc.send_signal(sig)
            m.proc.wait()

    def stop(self):
        for i in range(len(self.members)):
            self.kill(i, signal.SIGTERM)
        if self.own_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def etcdctl(self, *args):
        return subprocess.run(["etcdctl", "--endpoints", self.endpoints] + list(args), capture_output=True,
                              text=True, env=dict(os.environ, ETCDCTL_API="3"), check=True).stdout
