"""The official Python client (pip install kubernetes) against a real skiff server."""
import threading
import time

from kubernetes import client, watch
from kubernetes.client.rest import ApiException


def body(name):
    return {"metadata": {"name": name, "labels": {"app": "py"}},
            "spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]}}


def test_create_list_watch_patch_delete(server, ns):
    api = client.CoreV1Api(server.python_client())
    assert client.VersionApi(api.api_client).get_code().minor == "32"
    created = api.create_namespaced_pod(ns, body("py-1"))
    assert created.metadata.name == "py-1" and created.metadata.uid
    pods = api.list_namespaced_pod(ns, label_selector="app=py")
    assert [p.metadata.name for p in pods.items] == ["py-1"]

    seen = []

    def watcher():
        w = watch.Watch()
        for ev in w.stream(api.list_namespaced_pod, ns, timeout_seconds=6):
            seen.append((ev["type"], ev["object"].metadata.name, dict(ev["object"].metadata.labels or {})))
            if ev["type"] == "DELETED":
                w.stop()

    t = threading.Thread(target=watcher)
    t.start()
    time.sleep(1)
    api.patch_namespaced_pod("py-1", ns, {"metadata": {"labels": {"patched": "yes"}}})
    api.delete_namespaced_pod("py-1", ns)
    t.join(timeout=15)
    types = [s[0] for s in seen]
    assert types[0] == "ADDED", seen
    assert "MODIFIED" in types and "DELETED" in types, seen
    assert any(s[2].get("patched") == "yes" for s in seen if s[0] == "MODIFIED")

    try:
        api.read_namespaced_pod("py-1", ns)
        raise AssertionError("pod still there")
    except ApiException as e:
        assert e.status == 404


def test_errors_are_status_objects(server, ns):
    api = client.CoreV1Api(server.python_client())
    try:
        api.create_namespaced_pod(ns, {"metadata": {"name": "nocontainers"}, "spec": {"containers": []}})
        raise AssertionError("accepted an invalid pod")
    except ApiException as e:
        assert e.status == 422
        assert '"reason":"Invalid"' in e.body and "spec.containers" in e.body
