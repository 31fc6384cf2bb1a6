"""etcd acceptance: a three-member etcd cluster on 127.0.0.1 behind one or two `skiff server`
processes. Losing a member loses no acknowledged write; a write through one API server reaches a
watch on the other; the scheduler fails over when its leader server dies."""
import json
import os
import shutil
import signal
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "acceptance"))
from conftest import BIN, Server  # noqa: E402
from etcd import EtcdCluster  # noqa: E402


def ctx():
    c = ssl.create_default_context()
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return c


def api(server, method, path, body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server.url + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + server.token,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=ctx(), timeout=timeout) as r:
        return json.loads(r.read())


def configmap(name):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"v": name}}


@pytest.fixture()
def cluster():
    c = EtcdCluster(3).start()
    yield c
    c.stop()


def start_server(tmp_path, name, endpoints, prefix, pki_from=None, extra=()):
    d = str(tmp_path / name)
    os.makedirs(d)
    if pki_from:
        # Servers of one cluster share its CA and tokens, as kube-apiservers share their certificates.
        shutil.copytree(os.path.join(pki_from.data_dir, "pki"), os.path.join(d, "pki"))
    return Server(d, extra=["--disable-agent", "--datastore-endpoint", endpoints, "--datastore-prefix", prefix]
                  + list(extra)).start()


def test_losing_one_member_loses_no_acknowledged_write(cluster, tmp_path):
    s = start_server(tmp_path, "a", cluster.endpoints, "/skiff-" + uuid.uuid4().hex[:8], extra=["--disable-scheduler"])
    try:
        acked, failed = [], 0
        for i in range(300):
            if i == 100:
                # The member the server talks to first: its connection breaks under the server.
                cluster.kill(0)
            name = f"cm-{i:04d}"
            try:
                api(s, "POST", "/api/v1/namespaces/default/configmaps", configmap(name))
                acked.append(name)
            except Exception:
                failed += 1
        assert failed <= 5, f"{failed} writes failed after one member of three died"
        names = {i["metadata"]["name"] for i in api(s, "GET", "/api/v1/namespaces/default/configmaps")["items"]}
        assert set(acked) <= names
        # Straight from the surviving members, not through the server's cache.
        assert api(s, "GET", "/api/v1/namespaces/default/configmaps/cm-0299")["data"]["v"] == "cm-0299"
        s.kubectl("get", "configmaps", "cm-0150")
    finally:
        s.stop()


def watch_names(server, path, rv, seen, stop):
    import http.client
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx(), timeout=60)
    conn.request("GET", f"{path}?watch=true&resourceVersion={rv}",
                 headers={"Authorization": "Bearer " + server.token})
    resp = conn.getresponse()
    for line in resp:
        ev = json.loads(line)
        seen.append((ev["type"], ev["object"]["metadata"]["name"], time.monotonic()))
        if stop.is_set():
            break


def test_two_api_servers_serve_the_same_data_and_watches(cluster, tmp_path):
    prefix = "/skiff-" + uuid.uuid4().hex[:8]
    a = start_server(tmp_path, "a", cluster.endpoints, prefix)
    b = start_server(tmp_path, "b", cluster.endpoints, prefix, pki_from=a)
    try:
        rv = api(b, "GET", "/api/v1/namespaces/default/configmaps")["metadata"]["resourceVersion"]
        seen, stop = [], threading.Event()
        t = threading.Thread(target=watch_names, args=(b, "/api/v1/namespaces/default/configmaps", rv, seen, stop),
                             daemon=True)
        t.start()
        time.sleep(0.5)
        sent = time.monotonic()
        created = api(a, "POST", "/api/v1/namespaces/default/configmaps", configmap("through-a"))
        deadline = time.time() + 10
        while not any(n == "through-a" for _, n, _ in seen) and time.time() < deadline:
            time.sleep(0.05)
        stop.set()
        hit = [x for x in seen if x[1] == "through-a"]
        assert hit and hit[0][0] == "ADDED", seen
        print(f"write via A seen by watch on B after {(hit[0][2] - sent) * 1000:.0f} ms")
        got = api(b, "GET", "/api/v1/namespaces/default/configmaps/through-a")
        assert got["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
        # An update through B conflicts with A's stale copy: one store, one resourceVersion order.
        got["data"]["v"] = "b"
        api(b, "PUT", "/api/v1/namespaces/default/configmaps/through-a", got)
        with pytest.raises(urllib.error.HTTPError) as e:
            api(a, "PUT", "/api/v1/namespaces/default/configmaps/through-a", created)
        assert e.value.code == 409
        # The controllers and the scheduler each hold one lease between the two servers.
        for lease in ("kube-scheduler", "kube-controller-manager"):
            deadline = time.time() + 20
            while time.time() < deadline:
                try:
                    spec = api(a, "GET", f"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/{lease}")["spec"]
                    if spec.get("holderIdentity"):
                        break
                except urllib.error.HTTPError:
                    pass
                time.sleep(0.5)
            assert spec["leaseDurationSeconds"] == 15 and spec.get("acquireTime") and spec.get("renewTime")
    finally:
        b.stop()
        a.stop()


def identity(server):
    with open(os.path.join(server.data_dir, "leader-election.id")) as f:
        return f.read().strip()


def node(name):
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "status": {"capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                       "allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                       "lastHeartbeatTime": stamp, "lastTransitionTime": stamp}]}}


def pod(name):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]}}


def wait_bound(server, name, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if api(server, "GET", f"/api/v1/namespaces/default/pods/{name}").get("spec", {}).get("nodeName"):
                return time.monotonic()
        except Exception:
            pass
        time.sleep(0.2)
    return None


def test_killing_the_leader_moves_scheduling_within_the_lease_duration(cluster, tmp_path):
    prefix = "/skiff-" + uuid.uuid4().hex[:8]
    a = start_server(tmp_path, "a", cluster.endpoints, prefix, extra=["--disable-controllers"])
    b = start_server(tmp_path, "b", cluster.endpoints, prefix, pki_from=a, extra=["--disable-controllers"])
    servers = [a, b]
    try:
        api(a, "POST", "/api/v1/nodes", node("n1"))
        api(a, "POST", "/api/v1/namespaces/default/pods", pod("before"))
        assert wait_bound(a, "before", 30), "no scheduler bound the first pod"
        holder = api(a, "GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler")["spec"]
        leader = next(s for s in servers if identity(s) == holder["holderIdentity"])
        survivor = b if leader is a else a
        leader.stop(signal.SIGKILL)
        killed = time.monotonic()
        api(survivor, "POST", "/api/v1/namespaces/default/pods", pod("after"))
        bound = wait_bound(survivor, "after", 40)
        assert bound, "scheduling did not move to the surviving server"
        took = bound - killed
        print(f"scheduling moved {took:.1f} s after the leader was killed")
        # The lease lasts 15 s from its last renewal; the survivor polls every 2 s (+20% jitter).
        assert took <= 15 + 2.4 + 1.5
        spec = api(survivor, "GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler")["spec"]
        assert spec["holderIdentity"] == identity(survivor)
        assert spec["leaseTransitions"] == holder.get("leaseTransitions", 0) + 1
    finally:
        for s in servers:
            s.stop()


def test_etcd_with_client_certificates(tmp_path):
    from etcd import make_certificates
    certs = make_certificates(str(tmp_path / "certs"))
    c = EtcdCluster(1, tls=certs).start()
    try:
        s = start_server(tmp_path, "a", c.endpoints, "/registry",
                         extra=["--datastore-cafile", certs["ca"], "--datastore-certfile", certs["client_cert"],
                                "--datastore-keyfile", certs["client_key"], "--disable-scheduler", "--disable-controllers"])
        try:
            api(s, "POST", "/api/v1/namespaces/default/configmaps", configmap("over-tls"))
            # Kubernetes' own layout under /registry, readable by etcdctl.
            assert "over-tls" in c.etcdctl("get", "/registry/configmaps/default/over-tls", "--print-value-only")
        finally:
            s.stop()
    finally:
        c.stop()


def test_export_from_sqlite_and_import_into_etcd(tmp_path):
    import subprocess
    src = Server(str(tmp_path / "sqlite"), extra=["--disable-agent", "--disable-scheduler"])
    os.makedirs(src.data_dir)
    src.start()
    api(src, "POST", "/api/v1/namespaces/default/configmaps", configmap("moved"))
    src.kubectl("create", "namespace", "moving")
    src.stop()
    dump = subprocess.run([BIN, "datastore", "export", "--data-dir", src.data_dir], capture_output=True, check=True).stdout
    assert b'"key":"/registry/configmaps/default/moved"' in dump
    c = EtcdCluster(1).start()
    try:
        subprocess.run([BIN, "datastore", "import", "--datastore-endpoint", c.endpoints], input=dump, check=True,
                       capture_output=True)
        # The etcd-backed server keeps the SQLite server's certificates and sees the same objects.
        d = str(tmp_path / "etcd-server")
        shutil.copytree(os.path.join(src.data_dir, "pki"), os.path.join(d, "pki"))
        s = Server(d, extra=["--disable-agent", "--datastore-endpoint", c.endpoints]).start()
        try:
            assert api(s, "GET", "/api/v1/namespaces/default/configmaps/moved")["data"]["v"] == "moved"
            s.kubectl("get", "namespace", "moving")
            again = subprocess.run([BIN, "datastore", "export", "--datastore-endpoint", c.endpoints],
                                   capture_output=True, check=True).stdout
            assert b'"key":"/registry/namespaces/moving"' in again
        finally:
            s.stop()
    finally:
        c.stop()


def test_events_expire_through_etcd_leases(tmp_path):
    """Events are written with an etcd lease of --event-ttl seconds, as kube-apiserver does: etcd
    deletes them (a DELETED watch event) long before the server's own 30-second sweep would."""
    c = EtcdCluster(1).start()
    try:
        s = start_server(tmp_path, "a", c.endpoints, "/registry",
                         extra=["--event-ttl", "2", "--disable-scheduler", "--disable-controllers"])
        try:
            path = "/api/v1/namespaces/default/events"
            rv = api(s, "GET", path)["metadata"]["resourceVersion"]
            seen, stop = [], threading.Event()
            threading.Thread(target=watch_names, args=(s, path, rv, seen, stop), daemon=True).start()
            time.sleep(0.5)
            api(s, "POST", path, {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "short-lived"},
                                  "involvedObject": {"kind": "ConfigMap", "name": "stays", "namespace": "default"},
                                  "reason": "Testing", "message": "expires with its lease", "type": "Normal"})
            written = time.monotonic()
            api(s, "POST", "/api/v1/namespaces/default/configmaps", configmap("stays"))
            leased = json.loads(c.etcdctl("get", "/registry/events/default/short-lived", "-w", "json"))["kvs"][0]
            assert leased.get("lease"), leased
            kept = json.loads(c.etcdctl("get", "/registry/configmaps/default/stays", "-w", "json"))["kvs"][0]
            assert not kept.get("lease"), kept
            deadline = time.monotonic() + 15
            while ("DELETED", "short-lived") not in [(t, n) for t, n, _ in seen] and time.monotonic() < deadline:
                time.sleep(0.1)
            stop.set()
            gone = [at for t, n, at in seen if (t, n) == ("DELETED", "short-lived")]
            assert gone, seen
            print(f"event deleted by its lease {gone[0] - written:.1f} s after it was written")
            with pytest.raises(urllib.error.HTTPError) as e:
                api(s, "GET", path + "/short-lived")
            assert e.value.code == 404
            assert api(s, "GET", "/api/v1/namespaces/default/configmaps/stays")["data"]["v"] == "stays"
        finally:
            s.stop()
    finally:
        c.stop()
