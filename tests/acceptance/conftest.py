"""Acceptance tests: a real `skiff server` process driven by the real kubectl and the official
Python client. The server binary comes from SKIFF_BIN (default: the debug build).

SKIFF_STORE=etcd runs every server on a real etcd (one per test session, started here) instead of
its SQLite file, each server under a key prefix of its own."""
import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("SKIFF_BIN", os.path.join(ROOT, ".build", "debug", "skiff"))


STORE = os.environ.get("SKIFF_STORE", "sqlite")
_etcd = None


def shared_etcd():
    """The session's etcd, started on first use and stopped when the tests end."""
    global _etcd
    if _etcd is None:
        import sys
        sys.path.insert(0, os.path.dirname(__file__))
        from etcd import EtcdCluster
        _etcd = EtcdCluster(int(os.environ.get("SKIFF_ETCD_MEMBERS", "1"))).start()
        atexit.register(_etcd.stop)
    return _etcd


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One skiff server process on a loopback port with its own data dir."""

    def __init__(self, data_dir, port=None, extra=()):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.extra = list(extra)
        if STORE == "etcd" and not any(a == "--datastore-endpoint" for a in self.extra):
            self.extra += ["--datastore-endpoint", shared_etcd().endpoints,
                           "--datastore-prefix", "/skiff-" + uuid.uuid4().hex[:12]]
        self.proc = None
        self.cache_dir = tempfile.mkdtemp(prefix="kubectl-cache-")

    @property
    def kubeconfig(self):
        return os.path.join(self.data_dir, "admin.kubeconfig")

    @property
    def token(self):
        with open(os.path.join(self.data_dir, "pki", "admin.token")) as f:
            return f.read().strip()

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [BIN, "server", "--data-dir", self.data_dir, "--port", str(self.port), "--disable-runtime"] + self.extra,
            stdout=subprocess.PIPE, stderr=log)
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"skiff server exited with {self.proc.returncode}; see {self.data_dir}/server.log")
                continue
            if b"ready on" in line:
                return self
        raise RuntimeError("skiff server did not become ready")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        # kubectl makes its cache again if the server is started once more.
        shutil.rmtree(self.cache_dir, ignore_errors=True)

    def kubectl(self, *args, check=True, input=None, timeout=60):
        cmd = ["kubectl", "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache_dir] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, input=input, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p

    def python_client(self):
        from kubernetes import client, config
        cfg = client.Configuration()
        config.load_kube_config(config_file=self.kubeconfig, client_configuration=cfg)
        return client.ApiClient(cfg)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("skiff-data"))).start()
    yield s
    s.stop()


@pytest.fixture()
def fresh_server(tmp_path):
    s = Server(str(tmp_path / "data"))
    os.makedirs(s.data_dir)
    yield s
    s.stop(signal.SIGKILL)


@pytest.fixture()
def ns(server, request):
    """A namespace of its own for each test."""
    name = "t-" + request.node.name.replace("_", "-").lower()[:40].rstrip("-")
    server.kubectl("create", "namespace", name)
    yield name
    server.kubectl("delete", "namespace", name, "--wait=false", check=False)
