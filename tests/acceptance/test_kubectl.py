"""The kubectl on PATH against a real skiff server."""
import json
import subprocess
import time

from manifests import pod


def test_version_and_api_resources(server):
    out = server.kubectl("version", "-o", "json").stdout
    assert json.loads(out)["serverVersion"]["minor"] == "32"
    res = server.kubectl("api-resources").stdout
    for name in ["pods", "namespaces", "nodes", "events", "configmaps", "secrets", "serviceaccounts",
                 "limitranges", "resourcequotas", "persistentvolumes", "persistentvolumeclaims",
                 "leases", "storageclasses", "csinodes", "bindings"]:
        assert f"\n{name} " in "\n" + res, f"{name} missing from api-resources:\n{res}"
    assert "po " in res and "coordination.k8s.io/v1" in res


def test_default_namespaces(server):
    out = server.kubectl("get", "namespaces").stdout
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"]:
        assert ns in out
    assert "Active" in out


def test_apply_twice_strategic_merge(server, ns):
    p = server.kubectl("apply", "-n", ns, "-f", "-", input=pod("web", extra_container=True))
    assert "pod/web created" in p.stdout
    changed = pod("web", image="busybox:1.37", labels={"app": "web2", "tier": "fe"}, extra_container=True)
    p = server.kubectl("apply", "-n", ns, "-f", "-", input=changed)
    assert "pod/web configured" in p.stdout
    obj = json.loads(server.kubectl("get", "pod", "web", "-n", ns, "-o", "json").stdout)
    assert obj["metadata"]["labels"] == {"app": "web2", "tier": "fe"}
    names = [c["name"] for c in obj["spec"]["containers"]]
    assert names == ["main", "sidecar"]
    assert obj["spec"]["containers"][0]["image"] == "busybox:1.37"
    # Canonical quantities and defaults, as Kubernetes stores them.
    res = obj["spec"]["containers"][0]["resources"]
    assert res["limits"] == {"cpu": "1", "memory": "128Mi"}
    assert obj["spec"]["restartPolicy"] == "Always"
    assert obj["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert obj["status"]["phase"] == "Pending"
    # Removing a label through apply (last-applied tracking).
    p = server.kubectl("apply", "-n", ns, "-f", "-", input=pod("web", image="busybox:1.37", labels={"app": "web2"}, extra_container=True))
    obj = json.loads(server.kubectl("get", "pod", "web", "-n", ns, "-o", "json").stdout)
    assert obj["metadata"]["labels"] == {"app": "web2"}


def test_get_output_formats(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("fmt", labels={"app": "fmt", "env": "prod"}))
    table = server.kubectl("get", "pods", "-n", ns).stdout
    assert table.split("\n")[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert "fmt" in table and "0/1" in table and "Pending" in table
    wide = server.kubectl("get", "pods", "-n", ns, "-o", "wide").stdout
    assert "IP" in wide.split("\n")[0] and "NODE" in wide.split("\n")[0]
    y = server.kubectl("get", "pod", "fmt", "-n", ns, "-o", "yaml").stdout
    assert "kind: Pod" in y and "name: fmt" in y
    j = json.loads(server.kubectl("get", "pod", "fmt", "-n", ns, "-o", "json").stdout)
    assert j["kind"] == "Pod" and int(j["metadata"]["resourceVersion"]) > 0
    sel = server.kubectl("get", "pods", "-n", ns, "-l", "env in (prod,staging),app").stdout
    assert "fmt" in sel
    none = server.kubectl("get", "pods", "-n", ns, "-l", "env notin (prod)").stdout + \
        server.kubectl("get", "pods", "-n", ns, "-l", "env notin (prod)", check=False).stderr
    assert "fmt" not in none and "No resources found" in none
    all_ns = server.kubectl("get", "pods", "-A").stdout
    assert all_ns.split("\n")[0].split()[0] == "NAMESPACE" and ns in all_ns
    names = server.kubectl("get", "pods", "-n", ns, "-o", "name").stdout
    assert names.strip() == "pod/fmt"
    labels = server.kubectl("get", "pods", "-n", ns, "--show-labels").stdout
    assert "env=prod" in labels


def test_get_watch_sees_change(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("watched"))
    w = subprocess.Popen(["kubectl", "--kubeconfig", server.kubeconfig, "--cache-dir", server.cache_dir,
                          "get", "pod", "watched", "-n", ns, "-w", "-o", "json",
                          "--output-watch-events"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        server.kubectl("label", "pod", "watched", "-n", ns, "seen=yes")
        time.sleep(1.5)
    finally:
        w.terminate()
        out, err = w.communicate(timeout=10)
    assert '"type":"MODIFIED"' in out and '"seen":"yes"' in out, out + err


def test_label_annotate_patch_replace(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("edit"))
    assert "labeled" in server.kubectl("label", "pod", "edit", "-n", ns, "color=blue").stdout
    assert "annotated" in server.kubectl("annotate", "pod", "edit", "-n", ns, "note=hello").stdout
    server.kubectl("patch", "pod", "edit", "-n", ns, "--type", "merge", "-p", '{"metadata":{"labels":{"size":"xl"}}}')
    server.kubectl("patch", "pod", "edit", "-n", ns, "--type", "json",
                   "-p", '[{"op":"replace","path":"/spec/containers/0/image","value":"busybox:1.38"}]')
    server.kubectl("patch", "pod", "edit", "-n", ns, "-p", '{"spec":{"containers":[{"name":"main","image":"busybox:1.39"}]}}')
    obj = json.loads(server.kubectl("get", "pod", "edit", "-n", ns, "-o", "json").stdout)
    assert obj["metadata"]["labels"]["color"] == "blue" and obj["metadata"]["labels"]["size"] == "xl"
    assert obj["metadata"]["annotations"]["note"] == "hello"
    assert obj["spec"]["containers"][0]["image"] == "busybox:1.39"
    # replace with the current object works; with a stale resourceVersion it is a Conflict.
    obj["metadata"]["labels"]["replaced"] = "yes"
    server.kubectl("replace", "-f", "-", input=json.dumps(obj))
    stale = dict(obj)
    stale["metadata"] = dict(obj["metadata"], labels={"stale": "yes"})
    p = server.kubectl("replace", "-f", "-", input=json.dumps(stale), check=False)
    assert p.returncode != 0 and "Conflict" in p.stderr and "the object has been modified" in p.stderr


def test_delete_returns_once_gone(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("doomed"))
    p = server.kubectl("delete", "pod", "doomed", "-n", ns, timeout=30)
    assert 'pod "doomed" deleted' in p.stdout
    p = server.kubectl("get", "pod", "doomed", "-n", ns, check=False)
    assert p.returncode != 0 and 'pods "doomed" not found' in p.stderr


def test_configmap_namespace_lifecycle(server):
    server.kubectl("create", "namespace", "lifecycle")
    server.kubectl("create", "configmap", "cfg", "-n", "lifecycle", "--from-literal=a=1", "--from-literal=b=two")
    cm = json.loads(server.kubectl("get", "configmap", "cfg", "-n", "lifecycle", "-o", "json").stdout)
    assert cm["data"] == {"a": "1", "b": "two"}
    server.kubectl("create", "secret", "generic", "sec", "-n", "lifecycle", "--from-literal=pw=hunter2")
    sec = json.loads(server.kubectl("get", "secret", "sec", "-n", "lifecycle", "-o", "json").stdout)
    assert sec["data"]["pw"] == "aHVudGVyMg==" and sec["type"] == "Opaque"
    server.kubectl("apply", "-n", "lifecycle", "-f", "-", input=pod("inside"))
    p = server.kubectl("delete", "namespace", "lifecycle", timeout=60)
    assert 'namespace "lifecycle" deleted' in p.stdout
    p = server.kubectl("get", "namespace", "lifecycle", check=False)
    assert 'namespaces "lifecycle" not found' in p.stderr
    p = server.kubectl("get", "configmaps", "-n", "lifecycle", check=False)
    assert "cfg" not in p.stdout


EVENT = """apiVersion: v1
kind: Event
metadata:
  name: {name}.1
involvedObject:
  apiVersion: v1
  kind: Pod
  name: {name}
  namespace: {ns}
  uid: {uid}
reason: Scheduled
message: Successfully assigned {ns}/{name} to node-1
type: Normal
source:
  component: default-scheduler
firstTimestamp: "{now}"
lastTimestamp: "{now}"
count: 1
"""


def test_describe_shows_events_and_get_events(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("described"))
    uid = server.kubectl("get", "pod", "described", "-n", ns, "-o", "jsonpath={.metadata.uid}").stdout
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    server.kubectl("apply", "-n", ns, "-f", "-", input=EVENT.format(name="described", ns=ns, uid=uid, now=now))
    d = server.kubectl("describe", "pod", "described", "-n", ns).stdout
    assert "Name:" in d and "described" in d
    assert "Scheduled" in d and "Successfully assigned" in d, d
    ev = server.kubectl("get", "events", "-n", ns).stdout
    assert ev.split("\n")[0].split()[:4] == ["LAST", "SEEN", "TYPE", "REASON"]
    assert "pod/described" in ev


BAD = """apiVersion: v1
kind: Pod
metadata:
  name: Bad_Name
  labels:
    "bad key!": "x"
spec:
  restartPolicy: Sometimes
  containers:
  - name: main
    resources:
      limits:
        memory: 12xyz
"""


def test_manifest_with_several_errors_shows_all(server, ns):
    p = server.kubectl("apply", "-n", ns, "-f", "-", input=BAD, check=False)
    assert p.returncode != 0
    err = p.stderr
    assert 'The Pod "Bad_Name" is invalid' in err, err
    for field in ["metadata.name", "metadata.labels", "spec.restartPolicy", "spec.containers[0].image"]:
        assert field in err, f"{field} missing from:\n{err}"


def test_unknown_field_strict(server, ns):
    p = server.kubectl("apply", "-n", ns, "-f", "-", input=pod("strict").replace("    image:", "    imagee: x\n    image:"), check=False)
    assert p.returncode != 0 and 'unknown field "spec.containers[0].imagee"' in p.stderr, p.stderr


def test_already_exists(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=pod("twice"))
    p = server.kubectl("create", "-n", ns, "-f", "-", input=pod("twice"), check=False)
    assert "AlreadyExists" in p.stderr and 'pods "twice" already exists' in p.stderr


def test_generate_name_and_field_selector(server, ns):
    m = pod("x").replace("  name: x", "  generateName: gen-")
    out = server.kubectl("create", "-n", ns, "-f", "-", input=m).stdout
    assert out.startswith("pod/gen-")
    p = server.kubectl("get", "pods", "-n", ns, "--field-selector", "status.phase!=Running,spec.nodeName=", "-o", "name").stdout
    assert "pod/gen-" in p


def test_chunked_list_and_continue(server, ns):
    for i in range(5):
        server.kubectl("create", "configmap", f"chunk-{i}", "-n", ns, f"--from-literal=i={i}")
    out = server.kubectl("get", "configmaps", "-n", ns, "--chunk-size=2", "-o", "name").stdout.split()
    assert [n for n in out if n.startswith("configmap/chunk-")] == [f"configmap/chunk-{i}" for i in range(5)]
    server.kubectl("delete", "configmaps", "-n", ns, "-l", "nothing=here")
    server.kubectl("label", "configmap", "chunk-0", "-n", ns, "drop=yes")
    server.kubectl("delete", "configmaps", "-n", ns, "-l", "drop=yes")
    left = server.kubectl("get", "configmaps", "-n", ns, "-o", "name").stdout
    assert "chunk-0" not in left and "chunk-1" in left


def test_nodes_status_and_binding(server, ns):
    node = """apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    node-role.kubernetes.io/worker: ""
status:
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    message: kubelet is posting ready status
  nodeInfo:
    kubeletVersion: v1.32.4-skiff
"""
    server.kubectl("apply", "-f", "-", input=node)
    out = server.kubectl("get", "nodes").stdout
    # status is the kubelet's to write (nodes/status), so a create leaves it as sent only through /status.
    assert "node-a" in out and "worker" in out
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("tobind"))
    binding = json.dumps({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "tobind"},
                          "target": {"apiVersion": "v1", "kind": "Node", "name": "node-a"}})
    server.kubectl("create", "--raw", f"/api/v1/namespaces/{ns}/pods/tobind/binding", "-f", "-", input=binding)
    wide = server.kubectl("get", "pod", "tobind", "-n", ns, "-o", "wide").stdout
    assert "node-a" in wide
    p = server.kubectl("create", "--raw", f"/api/v1/namespaces/{ns}/pods/tobind/binding", "-f", "-", input=binding, check=False)
    assert p.returncode != 0 and "already assigned" in p.stderr
    # A pod on a node is deleted gracefully: it stays, Terminating, until the node confirms.
    server.kubectl("delete", "pod", "tobind", "-n", ns, "--wait=false")
    assert "Terminating" in server.kubectl("get", "pod", "tobind", "-n", ns).stdout
    server.kubectl("delete", "pod", "tobind", "-n", ns, "--grace-period=0", "--force")
    server.kubectl("delete", "node", "node-a")


def test_apply_a_list_as_kubectl_get_prints_it(server, ns):
    """`kubectl get -o yaml` prints a v1 List; kubectl validates one against /openapi/v2 before applying it."""
    items = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"l{i}"}, "data": {"i": str(i)}} for i in range(3)]
    server.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
    printed = server.kubectl("get", "configmaps", "-n", ns, "-l", "", "-o", "yaml").stdout
    assert printed.startswith("apiVersion: v1\nitems:")
    again = server.kubectl("apply", "-n", ns, "-f", "-", input=printed)
    assert "configmap/l2 configured" in again.stdout or "configmap/l2 unchanged" in again.stdout, again.stdout
    bad = {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bad"}, "bogus": 1}]}
    refused = server.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(bad), check=False)
    assert refused.returncode != 0 and 'unknown field "bogus"' in refused.stderr, refused.stderr
