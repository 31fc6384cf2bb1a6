"""Stopping the server: SIGTERM and SIGINT end it gracefully and promptly, with exit status 0,
even with a watch open; a server that cannot listen says why and exits at once."""
import signal
import socket
import subprocess
import time

import pytest

from conftest import BIN


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_ends_the_server_gracefully(fresh_server, sig):
    s = fresh_server.start()
    s.kubectl("create", "configmap", "before-stop", "--from-literal=k=v")
    # A watch held open across the shutdown: the server ends it rather than waiting for it.
    watch = subprocess.Popen(["kubectl", "--kubeconfig", s.kubeconfig, "--cache-dir", s.cache_dir,
                              "get", "configmaps", "-w"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(1)
        started = time.monotonic()
        s.proc.send_signal(sig)
        code = s.proc.wait(timeout=20)
        took = time.monotonic() - started
    finally:
        watch.kill()
        watch.wait()
    assert code == 0, f"exit status {code}"
    assert took < 10, f"took {took:.1f} s to stop"
    # What was stored is there after a restart.
    s.proc = None
    s.start()
    assert s.kubectl("get", "configmap", "before-stop", "-o", "jsonpath={.data.k}").stdout == "v"


def test_port_in_use_fails_at_once(tmp_path):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    data = tmp_path / "data"
    data.mkdir()
    try:
        started = time.monotonic()
        p = subprocess.run([BIN, "server", "--data-dir", str(data), "--port", str(port), "--disable-runtime"],
                           capture_output=True, text=True, timeout=30)
        took = time.monotonic() - started
    finally:
        holder.close()
    assert p.returncode != 0
    assert "Address already in use" in p.stderr
    assert took < 20, f"took {took:.1f} s to give up"
