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
    def __init__(self, name, data_dir, tls=False):
        self.name = name
        self.data_dir = data_dir
        self.client_port = free_port()
        self.peer_port = free_port()
        self.tls = tls
        self.proc = None

    @property
    def client_url(self):
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.client_port}"

    @property
    def peer_url(self):
        return f"http://127.0.0.1:{self.peer_port}"


class EtcdCluster:
    """`size` etcd members forming one cluster. With `tls` (a dict of PEM paths: ca, cert, key for
    the members, client_cert, client_key for clients) clients must present a certificate."""

    def __init__(self, size=1, base_dir=None, tls=None):
        if not os.path.exists(ETCD):
            raise RuntimeError("etcd is not installed (scripts/install-deps.sh installs etcd-server)")
        self.own_dir = base_dir is None
        self.base_dir = base_dir or tempfile.mkdtemp(prefix="skiff-etcd-")
        self.tls = tls
        self.members = [Member(f"m{i}", os.path.join(self.base_dir, f"m{i}"), tls=bool(tls)) for i in range(size)]

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
             "--logger", "zap", "--log-level", "warn"] + self._tls_flags(),
            stdout=log, stderr=log)

    def _tls_flags(self):
        if not self.tls:
            return []
        return ["--cert-file", self.tls["cert"], "--key-file", self.tls["key"],
                "--trusted-ca-file", self.tls["ca"], "--client-cert-auth"]

    def _etcdctl_flags(self):
        if not self.tls:
            return []
        return ["--cacert", self.tls["ca"], "--cert", self.tls["client_cert"], "--key", self.tls["client_key"]]

    def wait_healthy(self, timeout=30, members=None):
        deadline = time.time() + timeout
        members = members or [m for m in self.members if m.proc and m.proc.poll() is None]
        while time.time() < deadline:
            p = subprocess.run(["etcdctl", "--endpoints", ",".join(m.client_url for m in members),
                                "--command-timeout=2s"] + self._etcdctl_flags() + ["endpoint", "health"],
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
        return subprocess.run(["etcdctl", "--endpoints", self.endpoints] + self._etcdctl_flags() + list(args),
                              capture_output=True,
                              text=True, env=dict(os.environ, ETCDCTL_API="3"), check=True).stdout


def make_certificates(directory):
    """A CA, a member certificate for 127.0.0.1 and a client certificate, with openssl."""
    os.makedirs(directory, exist_ok=True)
    p = lambda name: os.path.join(directory, name)  # noqa: E731

    def run(*args):
        subprocess.run(["openssl"] + list(args), check=True, capture_output=True)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", p("ca.key"),
        "-out", p("ca.crt"), "-subj", "/CN=skiff-test-etcd-ca", "-days", "2")
    for name, cn, usage in (("server", "etcd", "serverAuth,clientAuth"), ("client", "skiff", "clientAuth")):
        with open(p(name + ".ext"), "w") as f:
            f.write(f"subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage={usage}\n")
        run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", p(name + ".key"),
            "-out", p(name + ".csr"), "-subj", f"/CN={cn}")
        run("x509", "-req", "-in", p(name + ".csr"), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial",
            "-out", p(name + ".crt"), "-days", "2", "-extfile", p(name + ".ext"))
    return {"ca": p("ca.crt"), "cert": p("server.crt"), "key": p("server.key"),
            "client_cert": p("client.crt"), "client_key": p("client.key")}
