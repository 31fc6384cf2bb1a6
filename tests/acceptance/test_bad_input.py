"""Bad input gets a Kubernetes Status with reason and causes, and leaves storage untouched."""
import json
import ssl
import urllib.request
import urllib.error


def call(server, method, path, body=None, content_type="application/json", token=True):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    req = urllib.request.Request(server.url + path, data=body, method=method)
    if body is not None:
        req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", "Bearer " + server.token)
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def status(raw):
    s = json.loads(raw)
    assert s["kind"] == "Status" and s["status"] == "Failure"
    return s


def test_unauthenticated(server):
    code, raw = call(server, "GET", "/api/v1/namespaces", token=False)
    assert code == 401 and status(raw)["reason"] == "Unauthorized"
    code, _ = call(server, "GET", "/version", token=False)
    assert code == 200


def test_malformed_json_and_yaml(server, ns):
    code, raw = call(server, "POST", f"/api/v1/namespaces/{ns}/pods", b'{"metadata": {"name": "x"')
    assert code == 400 and status(raw)["reason"] == "BadRequest"
    code, raw = call(server, "POST", f"/api/v1/namespaces/{ns}/configmaps", b"metadata: [unclosed", "application/yaml")
    assert code == 400 and status(raw)["reason"] == "BadRequest"
    code, raw = call(server, "POST", f"/api/v1/namespaces/{ns}/configmaps",
                     b"metadata:\n  name: from-yaml\ndata:\n  k: v\n", "application/yaml")
    assert code == 201, raw


def test_wrong_types_report_every_field(server, ns):
    pod = {"metadata": {"name": "types"}, "spec": {"containers": [{"name": "main", "image": 5}],
                                                    "terminationGracePeriodSeconds": "soon"}}
    code, raw = call(server, "POST", f"/api/v1/namespaces/{ns}/pods", json.dumps(pod).encode())
    s = status(raw)
    assert code == 400, raw
    fields = {c["field"] for c in s["details"]["causes"]}
    assert "spec.containers[0].image" in fields and "spec.terminationGracePeriodSeconds" in fields


def test_too_large_unknown_resource_bad_verb(server, ns):
    big = json.dumps({"metadata": {"name": "big"}, "data": {"k": "x" * (3 * 1024 * 1024 + 10)}}).encode()
    code, raw = call(server, "POST", f"/api/v1/namespaces/{ns}/configmaps", big)
    assert code == 413 and status(raw)["code"] == 413
    code, raw = call(server, "GET", f"/api/v1/namespaces/{ns}/widgets")
    assert code == 404 and status(raw)["reason"] == "NotFound"
    code, raw = call(server, "PUT", f"/api/v1/namespaces/{ns}/pods", b"{}")
    assert code == 405 and status(raw)["reason"] == "MethodNotAllowed"
    code, raw = call(server, "GET", f"/api/v1/namespaces/{ns}/bindings")
    assert code == 405


def test_invalid_update_changes_nothing(server, ns):
    cm = {"metadata": {"name": "keep"}, "data": {"a": "1"}}
    code, raw = call(server, "POST", f"/api/v1/namespaces/{ns}/configmaps", json.dumps(cm).encode())
    assert code == 201
    before = json.loads(raw)
    bad = {"metadata": {"name": "keep", "labels": {"bad key!": "v"}}, "data": {"a": "2"}}
    code, raw = call(server, "PUT", f"/api/v1/namespaces/{ns}/configmaps/keep", json.dumps(bad).encode())
    assert code == 422 and status(raw)["reason"] == "Invalid"
    code, raw = call(server, "GET", f"/api/v1/namespaces/{ns}/configmaps/keep")
    after = json.loads(raw)
    assert after["data"] == {"a": "1"} and after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]


def test_missing_namespace(server):
    code, raw = call(server, "POST", "/api/v1/namespaces/nowhere/configmaps", b'{"metadata":{"name":"x"}}')
    assert code == 404 and 'namespaces "nowhere" not found' in status(raw)["message"]


def test_watch_expired_and_resume(server, ns):
    code, raw = call(server, "GET", f"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1")
    assert code == 200
    # Revision 1 may or may not be retained; either every event since, or an Expired ERROR.
    first = json.loads(raw.split(b"\n")[0]) if raw.strip() else None
    if first and first["type"] == "ERROR":
        assert first["object"]["code"] == 410
