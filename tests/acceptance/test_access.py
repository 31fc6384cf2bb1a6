"""Authentication, authorization and admission, driven by the real kubectl: users with client
certificates and RBAC bindings, node credentials, service-account tokens, LimitRange,
ResourceQuota, PodSecurity, terminating namespaces, anonymous access and the audit log."""
import json
import os
import ssl
import subprocess
import time
import urllib.error
import urllib.request

from conftest import BIN

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: main
    image: busybox:1.36
{extra}"""


def pod(name, extra=""):
    return POD.format(name=name, extra=extra)


def user_kubeconfig(server, user, *groups):
    path = os.path.join(server.data_dir, f"{user}.kubeconfig")
    args = [BIN, "kubeconfig", "--data-dir", server.data_dir, "--user", user, "--server", server.url, "-o", path]
    for g in groups:
        args += ["--group", g]
    subprocess.run(args, check=True)
    return path


def as_kubeconfig(server, path, *args, check=False, input=None):
    cmd = ["kubectl", "--kubeconfig", path, "--cache-dir", server.cache_dir] + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, input=input, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{p.stdout}\n{p.stderr}")
    return p


def with_token(server, token, *args, input=None):
    return subprocess.run(["kubectl", "--kubeconfig", server.kubeconfig, "--cache-dir", server.cache_dir,
                           "--token", token] + list(args), capture_output=True, text=True, input=input, timeout=60)


def request(server, path, token=None, method="GET", body=None):
    ctx = ssl.create_default_context(cafile=os.path.join(server.data_dir, "pki", "ca.crt"))
    req = urllib.request.Request(server.url + path, method=method, data=None if body is None else json.dumps(body).encode())
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    def parse(raw):
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return raw.decode()
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
            return r.status, parse(r.read())
    except urllib.error.HTTPError as e:
        return e.code, parse(e.read())


def test_view_user_can_get_but_not_create(server, ns):
    jane = user_kubeconfig(server, "jane", "dev")
    denied = as_kubeconfig(server, jane, "get", "pods", "-n", ns)
    assert denied.returncode != 0
    assert f'User "jane" cannot list resource "pods" in API group "" in the namespace "{ns}"' in denied.stderr
    server.kubectl("create", "rolebinding", "jane-view", "--clusterrole", "view", "--user", "jane", "-n", ns)
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("seen"))
    got = as_kubeconfig(server, jane, "get", "pods", "-n", ns, check=True)
    assert "seen" in got.stdout
    refused = as_kubeconfig(server, jane, "apply", "-n", ns, "-f", "-", input=pod("mine"))
    assert refused.returncode != 0
    assert "Forbidden" in refused.stderr and 'cannot create resource "pods"' in refused.stderr
    whoami = as_kubeconfig(server, jane, "auth", "whoami", "-o", "json", check=True)
    assert json.loads(whoami.stdout)["status"]["userInfo"]["groups"] == ["dev", "system:authenticated"]


def test_auth_can_i(server, ns):
    bob = user_kubeconfig(server, "bob")
    server.kubectl("create", "rolebinding", "bob-edit", "--clusterrole", "edit", "--user", "bob", "-n", ns)

    def can(*args):
        return as_kubeconfig(server, bob, "auth", "can-i", *args).stdout.strip()

    assert can("create", "pods", "-n", ns) == "yes"
    assert can("delete", "secrets", "-n", ns) == "yes"
    assert can("create", "rolebindings", "-n", ns) == "no"
    assert can("list", "pods", "-n", "default") == "no"
    assert can("list", "nodes") == "no"
    # The administrator may do anything, and may ask on another's behalf.
    assert server.kubectl("auth", "can-i", "*", "*").stdout.strip() == "yes"
    assert server.kubectl("auth", "can-i", "create", "pods", "-n", ns, "--as", "bob").stdout.strip() == "yes"
    assert server.kubectl("auth", "can-i", "get", "nodes", "--as", "bob", check=False).stdout.strip() == "no"
    listing = as_kubeconfig(server, bob, "auth", "can-i", "--list", "-n", ns, check=True).stdout
    assert "pods" in listing and "selfsubjectaccessreviews.authorization.k8s.io" in listing


def test_node_credentials_touch_only_their_own(server, ns):
    with open(os.path.join(server.data_dir, "pki", "join-token")) as f:
        join = f.read().strip()
    code, answer = request(server, "/skiff/v1/node-credentials", join, "POST", {"nodeName": "n1"})
    assert code == 200 and answer["user"] == "system:node:n1"
    token = answer["token"]
    assert request(server, "/skiff/v1/node-credentials", "wrong-token", "POST", {"nodeName": "n1"})[0] == 401
    # The join token itself grants nothing else.
    assert request(server, "/api/v1/pods", join)[0] == 403

    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}
    assert with_token(server, token, "create", "-f", "-", input=json.dumps(node)).returncode == 0
    other = dict(node, metadata={"name": "n2"})
    refused = with_token(server, token, "create", "-f", "-", input=json.dumps(other))
    assert refused.returncode != 0 and "Forbidden" in refused.stderr
    for name, node_name in (("on-n1", "n1"), ("on-n2", "n2")):
        server.kubectl("apply", "-n", ns, "-f", "-", input=pod(name, f"  nodeName: {node_name}\n"))
    patch = json.dumps({"status": {"message": "seen by the kubelet"}})
    ok = with_token(server, token, "patch", "pod", "on-n1", "-n", ns, "--subresource", "status", "--type", "merge", "-p", patch)
    assert ok.returncode == 0, ok.stderr
    denied = with_token(server, token, "patch", "pod", "on-n2", "-n", ns, "--subresource", "status", "--type", "merge", "-p", patch)
    assert denied.returncode != 0 and "Forbidden" in denied.stderr
    # Secrets: only those its pods use.
    server.kubectl("create", "secret", "generic", "unrelated", "-n", ns, "--from-literal", "k=v")
    assert with_token(server, token, "get", "secret", "unrelated", "-n", ns).returncode != 0
    assert with_token(server, token, "get", "pods", "-n", ns).returncode == 0
    # The status it wrote is there.
    got = json.loads(server.kubectl("get", "pod", "on-n1", "-n", ns, "-o", "json").stdout)
    assert got["status"]["message"] == "seen by the kubelet"


def test_node_provisions_and_deletes_only_its_local_volumes(server):
    """A kubelet is its node's volume provisioner: it may create PVs and delete those whose node
    affinity is its own node's; it writes its own CSINode only."""
    with open(os.path.join(server.data_dir, "pki", "join-token")) as f:
        join = f.read().strip()
    token = request(server, "/skiff/v1/node-credentials", join, "POST", {"nodeName": "n3"})[1]["token"]
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n3", "labels": {"topology.example/node": "n3"}}}
    assert with_token(server, token, "create", "-f", "-", input=json.dumps(node)).returncode == 0

    def volume(name, on):
        return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
                "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                         "csi": {"driver": "example.csi", "volumeHandle": name},
                         "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                             {"key": "topology.example/node", "operator": "In", "values": [on]}]}]}}}}
    try:
        made = with_token(server, token, "create", "-f", "-", input=json.dumps(volume("pv-n3", "n3")))
        assert made.returncode == 0, made.stderr
        server.kubectl("create", "-f", "-", input=json.dumps(volume("pv-elsewhere", "n4")))
        refused = with_token(server, token, "delete", "pv", "pv-elsewhere", "--wait=false")
        assert refused.returncode != 0 and "Forbidden" in refused.stderr
        deleted = with_token(server, token, "delete", "pv", "pv-n3", "--wait=false")
        assert deleted.returncode == 0, deleted.stderr

        csinode = {"apiVersion": "storage.k8s.io/v1", "kind": "CSINode", "metadata": {"name": "n3"},
                   "spec": {"drivers": [{"name": "example.csi", "nodeID": "n3", "topologyKeys": ["topology.example/node"]}]}}
        own = with_token(server, token, "create", "-f", "-", input=json.dumps(csinode))
        assert own.returncode == 0, own.stderr
        other = dict(csinode, metadata={"name": "n4"})
        refused = with_token(server, token, "create", "-f", "-", input=json.dumps(other))
        assert refused.returncode != 0 and "Forbidden" in refused.stderr
        assert "n3" in server.kubectl("get", "csinodes").stdout
    finally:
        server.kubectl("delete", "pv", "pv-n3", "pv-elsewhere", "--ignore-not-found", "--wait=false")
        server.kubectl("delete", "csinode", "n3", "--ignore-not-found")
        server.kubectl("delete", "node", "n3", "--ignore-not-found")


def test_service_account_token_has_its_bindings_rights(server, ns):
    server.kubectl("create", "serviceaccount", "bot", "-n", ns)
    server.kubectl("create", "rolebinding", "bot-view", "--clusterrole", "view", "--serviceaccount", f"{ns}:bot", "-n", ns)
    token = server.kubectl("create", "token", "bot", "-n", ns).stdout.strip()
    assert with_token(server, token, "get", "pods", "-n", ns).returncode == 0
    refused = with_token(server, token, "create", "configmap", "x", "-n", ns, "--from-literal", "a=b")
    assert refused.returncode != 0
    assert f'User "system:serviceaccount:{ns}:bot" cannot create resource "configmaps"' in refused.stderr
    assert with_token(server, token, "get", "pods", "-n", "default").returncode != 0
    # A deleted account's tokens stop working.
    server.kubectl("delete", "serviceaccount", "bot", "-n", ns)
    time.sleep(0.5)
    gone = with_token(server, token, "get", "pods", "-n", ns)
    assert gone.returncode != 0 and "Unauthorized" in gone.stderr


def test_default_service_account_and_token_volume(server, ns):
    deadline = time.time() + 10
    while server.kubectl("get", "serviceaccount", "default", "-n", ns, check=False).returncode != 0:
        assert time.time() < deadline
        time.sleep(0.2)
    server.kubectl("get", "configmap", "kube-root-ca.crt", "-n", ns)
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("sa"))
    spec = json.loads(server.kubectl("get", "pod", "sa", "-n", ns, "-o", "json").stdout)["spec"]
    assert spec["serviceAccountName"] == "default"
    volume = next(v for v in spec["volumes"] if v["name"].startswith("kube-api-access-"))
    kinds = [list(s.keys())[0] for s in volume["projected"]["sources"]]
    assert kinds == ["serviceAccountToken", "configMap", "downwardAPI"]
    mount = spec["containers"][0]["volumeMounts"][0]
    assert mount["mountPath"] == "/var/run/secrets/kubernetes.io/serviceaccount" and mount["readOnly"] is True
    missing = server.kubectl("apply", "-n", ns, "-f", "-", check=False,
                             input=pod("nosa", "  serviceAccountName: ghost\n"))
    assert missing.returncode != 0 and 'serviceaccount "ghost" not found' in missing.stderr


LIMITS = """apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    max:
      cpu: "1"
    default:
      cpu: 500m
      memory: 128Mi
    defaultRequest:
      cpu: 250m
      memory: 64Mi
"""


def test_limit_range_defaults_and_max(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=LIMITS)
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("defaulted"))
    obj = json.loads(server.kubectl("get", "pod", "defaulted", "-n", ns, "-o", "json").stdout)
    res = obj["spec"]["containers"][0]["resources"]
    assert res == {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "64Mi"}}
    assert obj["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == \
        "LimitRanger plugin set: cpu, memory request for container main; cpu, memory limit for container main"
    big = pod("big", "    resources:\n      limits:\n        cpu: \"2\"\n")
    refused = server.kubectl("apply", "-n", ns, "-f", "-", input=big, check=False)
    assert refused.returncode != 0
    assert 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2' in refused.stderr


QUOTA = """apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    pods: "2"
    requests.cpu: "1"
    configmaps: "3"
"""


def cpu_pod(name, cpu):
    return pod(name, f"    resources:\n      requests:\n        cpu: {cpu}\n")


def test_resource_quota(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=QUOTA)
    server.kubectl("apply", "-n", ns, "-f", "-", input=cpu_pod("a", "600m"))
    refused = server.kubectl("apply", "-n", ns, "-f", "-", input=cpu_pod("b", "500m"), check=False)
    assert refused.returncode != 0
    assert ('pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, '
            'used: requests.cpu=600m, limited: requests.cpu=1') in refused.stderr
    unset = server.kubectl("apply", "-n", ns, "-f", "-", input=pod("c"), check=False)
    assert unset.returncode != 0 and "failed quota: compute: must specify requests.cpu for: main" in unset.stderr
    server.kubectl("apply", "-n", ns, "-f", "-", input=cpu_pod("d", "400m"))
    deadline = time.time() + 10
    while True:
        described = server.kubectl("describe", "quota", "compute", "-n", ns).stdout
        rows = {line.split()[0]: line.split()[1:] for line in described.splitlines() if line.split()[:1] in (["pods"], ["requests.cpu"])}
        if rows.get("pods") == ["2", "2"] and rows.get("requests.cpu") == ["1", "1"]:
            break
        assert time.time() < deadline, described
        time.sleep(0.3)
    full = server.kubectl("apply", "-n", ns, "-f", "-", input=cpu_pod("e", "1m"), check=False)
    assert "exceeded quota: compute, requested: pods=1,requests.cpu=1m, used: pods=2,requests.cpu=1, limited: pods=2,requests.cpu=1" in full.stderr
    # Deleting a pod gives its share back.
    server.kubectl("delete", "pod", "d", "-n", ns, "--grace-period=0", "--force")
    deadline = time.time() + 10
    while server.kubectl("apply", "-n", ns, "-f", "-", input=cpu_pod("f", "100m"), check=False).returncode != 0:
        assert time.time() < deadline
        time.sleep(0.3)


SCOPED_QUOTAS = """
apiVersion: v1
kind: ResourceQuota
metadata: {name: best-effort}
spec:
  hard: {pods: "1"}
  scopes: [BestEffort]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: high-priority}
spec:
  hard: {pods: "1", requests.cpu: "1"}
  scopeSelector:
    matchExpressions:
    - {scopeName: PriorityClass, operator: In, values: [quota-high]}
"""


def test_quota_scopes(server, ns):
    server.kubectl("create", "priorityclass", "quota-high", "--value=10")
    try:
        quota_scopes(server, ns)
    finally:
        server.kubectl("delete", "priorityclass", "quota-high")


def quota_scopes(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=SCOPED_QUOTAS)
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("be-1"))
    refused = server.kubectl("apply", "-n", ns, "-f", "-", input=pod("be-2"), check=False)
    assert "exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1" in refused.stderr
    # Pods outside a quota's scopes do not count against it.
    server.kubectl("apply", "-n", ns, "-f", "-", input=cpu_pod("burstable", "100m"))
    server.kubectl("apply", "-n", ns, "-f", "-", input=cpu_pod("high-1", "200m").replace("spec:\n", "spec:\n  priorityClassName: quota-high\n", 1))
    high = server.kubectl("apply", "-n", ns, "-f", "-", check=False,
                          input=cpu_pod("high-2", "200m").replace("spec:\n", "spec:\n  priorityClassName: quota-high\n", 1))
    assert "exceeded quota: high-priority" in high.stderr, high.stderr
    deadline = time.time() + 10
    while True:
        used = json.loads(server.kubectl("get", "quota", "-n", ns, "-o", "json").stdout)["items"]
        got = {q["metadata"]["name"]: q.get("status", {}).get("used", {}) for q in used}
        if got == {"best-effort": {"pods": "1"}, "high-priority": {"pods": "1", "requests.cpu": "200m"}}:
            break
        assert time.time() < deadline, got
        time.sleep(0.3)
    # A BestEffort quota may only count pods.
    bad = server.kubectl("apply", "-n", ns, "-f", "-", check=False, input=(
        "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: bad}\nspec:\n  hard: {cpu: '1'}\n  scopes: [BestEffort]\n"))
    assert bad.returncode != 0 and "unsupported scope applied to resource" in bad.stderr, bad.stderr


def test_terminating_namespace_refuses_new_objects(server):
    server.kubectl("create", "namespace", "going")
    held = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "held", "finalizers": ["example.com/hold"]}}
    server.kubectl("create", "-n", "going", "-f", "-", input=json.dumps(held))
    server.kubectl("delete", "namespace", "going", "--wait=false")
    refused = server.kubectl("apply", "-n", "going", "-f", "-", input=pod("late"), check=False)
    assert refused.returncode != 0
    assert "unable to create new content in namespace going because it is being terminated" in refused.stderr
    server.kubectl("patch", "configmap", "held", "-n", "going", "--type", "merge", "-p", '{"metadata":{"finalizers":null}}')


PRIVILEGED = "    securityContext:\n      privileged: true\n"
RESTRICTED = """    securityContext:
      allowPrivilegeEscalation: false
      runAsNonRoot: true
      runAsUser: 1000
      capabilities:
        drop: ["ALL"]
      seccompProfile:
        type: RuntimeDefault
"""


def test_pod_security_restricted_namespace(server, ns):
    server.kubectl("label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted")
    refused = server.kubectl("apply", "-n", ns, "-f", "-", input=pod("priv", PRIVILEGED), check=False)
    assert refused.returncode != 0
    assert 'pods "priv" is forbidden: violates PodSecurity "restricted:latest": privileged (container "main" must not set securityContext.privileged=true)' in refused.stderr
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("fine", RESTRICTED))
    server.kubectl("label", "namespace", ns, "pod-security.kubernetes.io/enforce-", "pod-security.kubernetes.io/warn=baseline")
    warned = server.kubectl("apply", "-n", ns, "-f", "-", input=pod("warned", PRIVILEGED))
    assert 'would violate PodSecurity "baseline:latest": privileged' in warned.stderr
    # audit: admitted, with the violation noted in the audit log.
    server.kubectl("label", "namespace", ns, "pod-security.kubernetes.io/warn-", "pod-security.kubernetes.io/audit=baseline")
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("audited", PRIVILEGED))
    deadline = time.time() + 5
    while True:
        with open(os.path.join(server.data_dir, "audit.log")) as f:
            noted = [json.loads(line) for line in f if ns in line and "audit-violations" in line]
        if noted:
            break
        assert time.time() < deadline
        time.sleep(0.2)
    assert noted[0]["annotations"]["pod-security.kubernetes.io/audit-violations"].startswith('would violate PodSecurity "baseline:latest"')


def test_pod_security_versions_labels_and_existing_pods(server, ns):
    # A pod running as root (runAsUser=0) passes restricted as of v1.22 (the check came in 1.23).
    as_root = RESTRICTED.replace("runAsUser: 1000", "runAsUser: 0")
    server.kubectl("label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted",
                   "pod-security.kubernetes.io/enforce-version=v1.22")
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("root-ok", as_root))
    # Moving the pin to latest warns about the pod already there that latest refuses.
    relabel = server.kubectl("label", "--overwrite", "namespace", ns, "pod-security.kubernetes.io/enforce-version=latest")
    assert f'existing pods in namespace "{ns}" violate the new PodSecurity enforce level "restricted:latest"' in relabel.stderr
    assert "root-ok: runAsUser=0" in relabel.stderr
    refused = server.kubectl("apply", "-n", ns, "-f", "-", input=pod("root-now", as_root), check=False)
    assert 'violates PodSecurity "restricted:latest": runAsUser=0 (container "main" must not set runAsUser=0)' in refused.stderr
    # Invalid values are refused on the namespace, with each field named.
    bad = server.kubectl("label", "--overwrite", "namespace", ns, "pod-security.kubernetes.io/enforce=strict",
                         "pod-security.kubernetes.io/warn-version=1.30", check=False)
    assert bad.returncode != 0
    assert 'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted' in bad.stderr
    assert 'metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.30": must be "latest" or "v1.x"' in bad.stderr


def test_pod_security_defaults_and_exemptions(fresh_server):
    """The AdmissionConfiguration file sets the level of unlabelled namespaces and exempts users."""
    s = fresh_server
    config = os.path.join(s.data_dir, "admission.yaml")
    with open(config, "w") as f:
        f.write("apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n"
                "  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n"
                "    defaults:\n      enforce: baseline\n    exemptions:\n      usernames: [\"trusted\"]\n")
    s.extra += ["--admission-control-config-file", config]
    s.start()
    s.kubectl("create", "namespace", "psa-defaults")
    refused = s.kubectl("apply", "-n", "psa-defaults", "-f", "-", input=pod("priv", PRIVILEGED), check=False)
    assert 'violates PodSecurity "baseline:latest": privileged' in refused.stderr
    trusted = user_kubeconfig(s, "trusted", "system:masters")
    out = as_kubeconfig(s, trusted, "apply", "-n", "psa-defaults", "-f", "-", input=pod("priv", PRIVILEGED))
    assert out.returncode == 0, out.stderr


def test_anonymous_and_audit(server, ns):
    assert request(server, "/api/v1/namespaces")[0] == 401
    assert request(server, "/version")[0] == 200
    assert request(server, "/healthz")[0] == 200
    mallory = user_kubeconfig(server, "mallory")
    as_kubeconfig(server, mallory, "get", "secrets", "-n", ns)
    deadline = time.time() + 5
    while True:
        with open(os.path.join(server.data_dir, "audit.log")) as f:
            events = [json.loads(line) for line in f if '"mallory"' in line]
        hits = [e for e in events if e.get("objectRef", {}).get("resource") == "secrets"]
        if hits:
            break
        assert time.time() < deadline
        time.sleep(0.2)
    e = hits[-1]
    assert e["verb"] == "list" and e["responseStatus"]["code"] == 403 and e["objectRef"]["namespace"] == ns
    assert e["kind"] == "Event" and e["apiVersion"] == "audit.k8s.io/v1" and e["stage"] == "ResponseComplete"


def test_no_one_grants_more_than_they_hold(server, ns):
    carol = user_kubeconfig(server, "carol")
    server.kubectl("create", "rolebinding", "carol-admin", "--clusterrole", "admin", "--user", "carol", "-n", ns)
    ok = as_kubeconfig(server, carol, "create", "rolebinding", "dave-view", "--clusterrole", "view", "--user", "dave", "-n", ns)
    assert ok.returncode == 0, ok.stderr
    refused = as_kubeconfig(server, carol, "create", "rolebinding", "dave-root", "--clusterrole", "cluster-admin", "--user", "dave", "-n", ns)
    assert refused.returncode != 0
    assert 'user "carol" is attempting to grant RBAC permissions not currently held' in refused.stderr
    role = as_kubeconfig(server, carol, "create", "role", "nodes", "--verb", "get", "--resource", "nodes", "-n", ns)
    assert role.returncode != 0 and "not currently held" in role.stderr


def test_quota_holds_under_concurrent_creates(server, ns):
    from concurrent.futures import ThreadPoolExecutor
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "count"}, "spec": {"hard": {"pods": "20"}}}
    server.kubectl("create", "-n", ns, "-f", "-", input=json.dumps(quota))

    def create(i):
        body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"c{i}"},
                "spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]}}
        return request(server, f"/api/v1/namespaces/{ns}/pods", server.token, "POST", body)[0]

    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(create, range(30)))
    assert codes.count(201) == 20 and codes.count(403) == 10, codes
    used = json.loads(server.kubectl("get", "quota", "count", "-n", ns, "-o", "json").stdout)["status"]["used"]
    assert used["pods"] == "20"


def test_local_subject_access_review(server, ns):
    """A namespace admin asks what someone may do in their namespace (the official Python client)."""
    from kubernetes import client, config
    from kubernetes.client.rest import ApiException
    alice = user_kubeconfig(server, "alice")
    server.kubectl("create", "rolebinding", "alice-admin", "--clusterrole", "admin", "--user", "alice", "-n", ns)
    server.kubectl("create", "rolebinding", "carol-view", "--clusterrole", "view", "--user", "carol", "-n", ns)
    cfg = client.Configuration()
    config.load_kube_config(config_file=alice, client_configuration=cfg)
    api = client.AuthorizationV1Api(client.ApiClient(cfg))

    def ask(verb, user="carol", namespace=ns):
        body = client.V1LocalSubjectAccessReview(spec=client.V1SubjectAccessReviewSpec(
            user=user, resource_attributes=client.V1ResourceAttributes(namespace=namespace, verb=verb, resource="pods")))
        return api.create_namespaced_local_subject_access_review(ns, body)

    got = ask("list")
    assert got.status.allowed is True and got.metadata.namespace == ns and got.kind == "LocalSubjectAccessReview"
    assert ask("delete").status.allowed is False
    assert ask("list", user="dave").status.allowed is False
    # Only about this namespace, and only about resources.
    try:
        ask("list", namespace="default")
        raise AssertionError("a review of another namespace was answered")
    except ApiException as e:
        assert e.status == 400 and f"spec.resourceAttributes.namespace must match namespace: {ns}" in e.body
    code, status = request(server, f"/apis/authorization.k8s.io/v1/namespaces/{ns}/localsubjectaccessreviews", server.token,
                           "POST", {"spec": {"user": "carol", "nonResourceAttributes": {"path": "/healthz", "verb": "get"}}})
    assert code == 422 and "disallowed on this kind of request" in status["message"], status
    # Someone without rights in the namespace may not ask there.
    code, _ = request(server, f"/apis/authorization.k8s.io/v1/namespaces/{ns}/localsubjectaccessreviews",
                      None, "POST", {"spec": {"user": "carol", "resourceAttributes": {"namespace": ns, "verb": "get", "resource": "pods"}}})
    assert code in (401, 403)


def test_certificate_signing_request_approve_and_use(server, tmp_path):
    """A new user's key and CSR, approved with `kubectl certificate approve`, become a client
    certificate signed by the cluster CA that authenticates as that user; denied ones never are."""
    import base64
    key, csr = tmp_path / "ada.key", tmp_path / "ada.csr"
    subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(csr), "-subj", "/CN=ada/O=analysts"], check=True, capture_output=True)
    def request(name, usages=("client auth",), signer="kubernetes.io/kube-apiserver-client"):
        return json.dumps({"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": {"name": name},
                           "spec": {"request": base64.b64encode(csr.read_bytes()).decode(), "signerName": signer,
                                    "expirationSeconds": 86400, "usages": list(usages),
                                    "username": "someone-else", "groups": ["system:masters"]}})
    server.kubectl("create", "-f", "-", input=request("ada"))
    table = server.kubectl("get", "csr", "ada").stdout
    assert "kubernetes.io/kube-apiserver-client" in table and "Pending" in table and "24h" in table
    # The requester is whoever created it, not what the body claimed.
    spec = json.loads(server.kubectl("get", "csr", "ada", "-o", "json").stdout)["spec"]
    assert spec["username"] == "admin" and "system:masters" in spec["groups"] or spec["username"] != "someone-else"
    server.kubectl("certificate", "approve", "ada")
    deadline = time.time() + 20
    while True:
        obj = json.loads(server.kubectl("get", "csr", "ada", "-o", "json").stdout)
        if obj.get("status", {}).get("certificate"):
            break
        assert time.time() < deadline, obj
        time.sleep(0.3)
    assert "Approved,Issued" in server.kubectl("get", "csr", "ada").stdout
    cert = tmp_path / "ada.crt"
    cert.write_bytes(base64.b64decode(obj["status"]["certificate"]))
    subject = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-subject", "-issuer", "-ext", "extendedKeyUsage"],
                             capture_output=True, text=True, check=True).stdout
    assert "CN=ada" in subject.replace(" ", "") and "O=analysts" in subject.replace(" ", "") and "TLS Web Client Authentication" in subject
    ca = os.path.join(server.data_dir, "pki", "ca.crt")
    whoami = subprocess.run(["kubectl", "--server", server.url, "--certificate-authority", ca, "--client-certificate", str(cert),
                             "--client-key", str(key), "--cache-dir", server.cache_dir, "auth", "whoami", "-o", "json"],
                            capture_output=True, text=True, timeout=60)
    assert whoami.returncode == 0, whoami.stderr
    user = json.loads(whoami.stdout)["status"]["userInfo"]
    assert user["username"] == "ada" and "analysts" in user["groups"]

    # Denied: never signed. A kubelet signer request for a non-node subject: approved, then Failed.
    server.kubectl("create", "-f", "-", input=request("ada-denied"))
    server.kubectl("certificate", "deny", "ada-denied")
    server.kubectl("create", "-f", "-", input=request("ada-as-node", signer="kubernetes.io/kube-apiserver-client-kubelet"))
    server.kubectl("certificate", "approve", "ada-as-node")
    deadline = time.time() + 20
    while "Failed" not in server.kubectl("get", "csr", "ada-as-node").stdout:
        assert time.time() < deadline
        time.sleep(0.3)
    time.sleep(1)
    denied = json.loads(server.kubectl("get", "csr", "ada-denied", "-o", "json").stdout)
    assert not denied.get("status", {}).get("certificate") and "Denied" in server.kubectl("get", "csr", "ada-denied").stdout
    failed = json.loads(server.kubectl("get", "csr", "ada-as-node", "-o", "json").stdout)
    assert [c["reason"] for c in failed["status"]["conditions"] if c["type"] == "Failed"] == ["SignerValidationFailure"]

    # Bad requests are refused with their field causes.
    bad = json.dumps({"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": {"name": "bad"},
                      "spec": {"request": base64.b64encode(b"not a csr").decode(), "signerName": "nodomain", "usages": ["flying"],
                               "expirationSeconds": 60}})
    p = server.kubectl("create", "-f", "-", input=bad, check=False)
    assert p.returncode != 0
    for cause in ("spec.request: Invalid value", "spec.signerName: Invalid value: \"nodomain\"", "spec.usages[0]: Unsupported value: \"flying\"",
                  "spec.expirationSeconds: Invalid value: 60"):
        assert cause in p.stderr, p.stderr
    for name in ("ada", "ada-denied", "ada-as-node"):
        server.kubectl("delete", "csr", name)
