"""A pod's journey on a real node: each scenario of the kubelet issue, through kubectl."""
import os
import signal
import subprocess
import time
import urllib.request

import pytest

from conftest import CONTAINERD, Agent, pod

BUSYBOX = "busybox"


def sh(script, name="main", **extra):
    c = {"name": name, "image": BUSYBOX, "command": ["sh", "-c", script]}
    c.update(extra)
    return c


def test_httpd_runs_and_answers_from_the_host(node, ns):
    node.apply(pod("web", ns, [sh("mkdir -p /www && echo hello-from-pod > /www/index.html && echo started && exec httpd -f -p 8080 -h /www",
                                  readinessProbe={"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 1})], node.name))
    node.wait(lambda: (node.pod(ns, "web") or {}).get("status", {}).get("containerStatuses", [{}])[0].get("ready"), 60, "web ready")
    p = node.pod(ns, "web")
    assert p["status"]["phase"] == "Running"
    ip = p["status"]["podIP"]
    assert ip and p["status"]["hostIP"] == "127.0.0.1"
    assert [c["type"] for c in p["status"]["conditions"]] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    cs = p["status"]["containerStatuses"][0]
    assert cs["containerID"].startswith(("skiff://", "containerd://")) and cs["imageID"] and cs["started"]
    assert p["status"]["qosClass"] == "BestEffort"
    body = urllib.request.urlopen(f"http://{ip}:8080/", timeout=5).read().decode()
    assert body == "hello-from-pod\n"
    assert "started" in node.kubectl("logs", "web", "-n", ns).stdout
    wide = node.kubectl("get", "pod", "web", "-n", ns, "-o", "wide").stdout
    assert ip in wide and node.name in wide and "Running" in wide
    reasons = [r for r, _ in node.events(ns, "web")]
    for r in ("Pulling", "Pulled", "Created", "Started"):
        assert r in reasons


def test_logs_follow_and_previous(node, ns):
    node.apply(pod("talker", ns, [sh("for i in 1 2 3; do echo line $i; sleep 0.5; done; exit 1")], node.name))
    node.wait(lambda: "line 1" in node.kubectl("logs", "talker", "-n", ns, check=False).stdout, 60, "first log line")
    follow = node.kubectl("logs", "-f", "talker", "-n", ns, timeout=60).stdout
    assert "line 3" in follow
    node.wait(lambda: (node.pod(ns, "talker")["status"]["containerStatuses"][0].get("restartCount", 0)) >= 1, 60, "a restart")
    prev = node.kubectl("logs", "talker", "-n", ns, "--previous").stdout
    assert prev.splitlines()[:3] == ["line 1", "line 2", "line 3"]
    ts = node.kubectl("logs", "talker", "-n", ns, "--previous", "--timestamps", "--tail", "1").stdout.strip()
    assert ts.endswith(" line 3") and ts[:4].isdigit() and "T" in ts.split()[0]


def test_missing_image_shows_errimagepull_then_backoff(node, ns):
    node.apply(pod("ghost", ns, [{"name": "main", "image": "nosuch/ghost:v1"}], node.name))
    seen = set()

    def progressed():
        seen.add(node.status_column(ns, "ghost"))
        return "ImagePullBackOff" in seen
    node.wait(progressed, 60, "ImagePullBackOff")
    assert "ErrImagePull" in seen or any(r == "Failed" and "ErrImagePull" in m for r, m in node.events(ns, "ghost"))
    events = node.events(ns, "ghost")
    assert any(r == "Failed" and m.startswith('Failed to pull image "nosuch/ghost:v1"') for r, m in events)
    assert any(r == "BackOff" and m == 'Back-off pulling image "nosuch/ghost:v1"' for r, m in events)


def test_crash_loop_backoff_grows(node, ns):
    node.apply(pod("crasher", ns, [sh("echo crashing; exit 1")], node.name))
    node.wait_status(ns, "crasher", "CrashLoopBackOff", 60)
    cs = node.pod(ns, "crasher")["status"]["containerStatuses"][0]
    assert cs["lastState"]["terminated"]["exitCode"] == 1 and cs["lastState"]["terminated"]["reason"] == "Error"
    assert "back-off 10s restarting failed container=main" in cs["state"]["waiting"]["message"]

    def delay20():
        w = node.pod(ns, "crasher")["status"]["containerStatuses"][0]["state"].get("waiting", {})
        return "back-off 20s" in w.get("message", "")
    node.wait(delay20, 60, "the second, doubled back-off")
    assert any(r == "BackOff" and "Back-off restarting failed container main" in m for r, m in node.events(ns, "crasher"))


def test_liveness_restarts_a_hung_server(node, ns):
    script = "mkdir -p /www; echo ok > /www/index.html; httpd -p 8080 -h /www; sleep 4; killall httpd; sleep 3600"
    node.apply(pod("hung", ns, [sh(script, livenessProbe={"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 1,
                                                          "failureThreshold": 2})], node.name))
    node.wait(lambda: node.pod(ns, "hung")["status"].get("containerStatuses", [{}])[0].get("restartCount", 0) >= 1, 90,
              "a liveness restart")
    events = node.events(ns, "hung")
    assert any(r == "Unhealthy" and m.startswith("Liveness probe failed:") for r, m in events)
    assert any(r == "Killing" and "failed liveness probe, will be restarted" in m for r, m in events)


def test_grpc_probes(node, ns):
    # etcd serves grpc.health.v1 on its client port: a host-network pod's readiness probe asks it,
    # and a liveness probe against a port where nothing listens restarts the container.
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "acceptance"))
    from etcd import EtcdCluster, free_port as etcd_port
    etcd = EtcdCluster(1).start()
    try:
        port = etcd.members[0].client_port
        closed = etcd_port()
        node.apply(pod("grpc", ns, [sh("sleep 3600", readinessProbe={"grpc": {"port": port}, "periodSeconds": 1})],
                       node.name, hostNetwork=True))
        node.wait(lambda: any(c["type"] == "Ready" and c["status"] == "True"
                              for c in node.pod(ns, "grpc")["status"].get("conditions", [])), 60, "ready through gRPC")
        node.apply(pod("grpc-dead", ns, [sh("sleep 3600", livenessProbe={"grpc": {"port": closed}, "periodSeconds": 1,
                                                                         "failureThreshold": 2, "timeoutSeconds": 1})],
                       node.name, hostNetwork=True))
        node.wait(lambda: node.pod(ns, "grpc-dead")["status"].get("containerStatuses", [{}])[0].get("restartCount", 0) >= 1,
                  90, "a gRPC liveness restart")
        events = node.events(ns, "grpc-dead")
        assert any(r == "Unhealthy" and m.startswith("Liveness probe failed: timeout: failed to connect service")
                   for r, m in events), events
    finally:
        etcd.stop()


def test_readiness_gates_ready(node, ns):
    node.apply(pod("gate", ns, [sh("sleep 3; touch /tmp/ready; sleep 3600",
                                   readinessProbe={"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 1})], node.name))
    node.wait(lambda: node.pod(ns, "gate")["status"].get("phase") == "Running", 60, "running")
    first = node.pod(ns, "gate")["status"]
    ready = {c["type"]: c["status"] for c in first["conditions"]}
    assert ready["Ready"] == "False" and ready["ContainersReady"] == "False"
    node.wait(lambda: {c["type"]: c["status"] for c in node.pod(ns, "gate")["status"]["conditions"]}["Ready"] == "True",
              30, "Ready after the probe passes")
    assert "1/1" in node.kubectl("get", "pod", "gate", "-n", ns).stdout


def test_exit_codes_under_restart_policy_never(node, ns):
    node.apply(pod("ok", ns, [sh("echo done")], node.name, restartPolicy="Never"))
    node.apply(pod("bad", ns, [sh("exit 1")], node.name, restartPolicy="Never"))
    node.wait_status(ns, "ok", "Completed", 60)
    node.wait_status(ns, "bad", "Error", 60)
    assert node.pod(ns, "ok")["status"]["phase"] == "Succeeded"
    bad = node.pod(ns, "bad")["status"]
    assert bad["phase"] == "Failed" and bad["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 1
    time.sleep(3)
    assert node.pod(ns, "ok")["status"]["containerStatuses"][0]["restartCount"] == 0


def test_termination_messages(node, ns):
    # What the container leaves in its terminationMessagePath; under FallbackToLogsOnError, the
    # end of its log when it failed without one.
    node.apply(pod("file", ns, [sh("echo -n 'disk full' > /dev/termination-log; exit 3")], node.name, restartPolicy="Never"))
    node.apply(pod("custom", ns, [sh("echo -n 'bye' > /tmp/msg", terminationMessagePath="/tmp/msg")], node.name,
                   restartPolicy="Never"))
    node.apply(pod("logs", ns, [sh("echo first; echo 'last words'; exit 1", terminationMessagePolicy="FallbackToLogsOnError")],
                   node.name, restartPolicy="Never"))
    node.wait_status(ns, "file", "Error", 60)
    node.wait_status(ns, "custom", "Completed", 60)
    node.wait_status(ns, "logs", "Error", 60)

    def message(name):
        return node.pod(ns, name)["status"]["containerStatuses"][0]["state"]["terminated"].get("message")
    assert message("file") == "disk full"
    assert message("custom") == "bye"
    assert message("logs") == "first\nlast words\n"
    assert "disk full" in node.kubectl("describe", "pod", "-n", ns, "file").stdout


def test_seccomp_profiles(node, ns):
    # The pod's RuntimeDefault applies to every container unless one says otherwise.
    node.apply(pod("sc", ns, [sh("grep '^Seccomp:' /proc/self/status", name="inherits"),
                              sh("grep '^Seccomp:' /proc/self/status", name="own",
                                 securityContext={"seccompProfile": {"type": "Unconfined"}})],
                   node.name, restartPolicy="Never", securityContext={"seccompProfile": {"type": "RuntimeDefault"}}))
    node.wait_status(ns, "sc", "Completed", 60)
    assert node.kubectl("logs", "-n", ns, "sc", "-c", "inherits").stdout.split() == ["Seccomp:", "2"]
    assert node.kubectl("logs", "-n", ns, "sc", "-c", "own").stdout.split() == ["Seccomp:", "0"]


def test_over_memory_limit_is_oomkilled(node, ns):
    node.apply(pod("hog", ns, [sh("head -c 300m /dev/zero | tail > /dev/null",
                                  resources={"limits": {"memory": "32Mi"}})], node.name, restartPolicy="Never"))
    node.wait_status(ns, "hog", "OOMKilled", 60)
    t = node.pod(ns, "hog")["status"]["containerStatuses"][0]["state"]["terminated"]
    assert t["reason"] == "OOMKilled" and t["exitCode"] == 137


def test_init_containers_run_in_order(node, ns):
    init = [sh("echo one > /work/order; sleep 1", name="first", volumeMounts=[{"name": "work", "mountPath": "/work"}]),
            sh("echo two >> /work/order", name="second", volumeMounts=[{"name": "work", "mountPath": "/work"}])]
    app = [sh("cat /work/order; sleep 3600", volumeMounts=[{"name": "work", "mountPath": "/work"}])]
    node.apply(pod("inits", ns, app, node.name, initContainers=init, volumes=[{"name": "work", "emptyDir": {}}]))
    seen = set()

    def running():
        seen.add(node.status_column(ns, "inits"))
        return "Running" in seen
    node.wait(running, 60, "Running after init")
    assert seen & {"Init:0/2", "Init:1/2", "PodInitializing"}, seen
    node.wait(lambda: "one\ntwo" in node.kubectl("logs", "inits", "-n", ns, check=False).stdout, 20, "init output")
    node.apply(pod("initfail", ns, [sh("sleep 3600")], node.name, restartPolicy="Never", initContainers=[sh("exit 2", name="boom")]))
    node.wait_status(ns, "initfail", "Init:Error", 60)
    assert node.pod(ns, "initfail")["status"]["phase"] == "Failed"


def test_missing_configmap_then_created(node, ns):
    env = [{"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "greeting", "key": "text"}}}]
    node.apply(pod("greeter", ns, [sh("echo $GREETING; cat /cfg/text; echo; sleep 3600", env=env,
                                      volumeMounts=[{"name": "cfg", "mountPath": "/cfg"}])], node.name,
                   volumes=[{"name": "cfg", "configMap": {"name": "greeting", "optional": True}}]))
    node.wait_status(ns, "greeter", "CreateContainerConfigError", 60)
    msg = node.pod(ns, "greeter")["status"]["containerStatuses"][0]["state"]["waiting"]["message"]
    assert msg == 'configmap "greeting" not found'
    node.kubectl("create", "configmap", "greeting", "-n", ns, "--from-literal=text=hello-world")
    node.wait_status(ns, "greeter", "Running", 60)
    node.wait(lambda: node.kubectl("logs", "greeter", "-n", ns, check=False).stdout.count("hello-world") == 2, 20,
              "env and file: " + node.kubectl("logs", "greeter", "-n", ns, check=False).stdout)


def test_delete_honours_grace_and_prestop(node, ns):
    marker = f"/tmp/skiff-prestop-{node.runtime}-{int(time.time())}"
    hook = {"preStop": {"exec": {"command": ["sh", "-c", "echo bye > /host/prestop; sleep 2"]}}}
    node.apply(pod("graceful", ns, [sh("trap 'exit 0' TERM; while true; do sleep 0.2; done", lifecycle=hook,
                                       volumeMounts=[{"name": "host", "mountPath": "/host"}])], node.name,
                   terminationGracePeriodSeconds=20,
                   volumes=[{"name": "host", "hostPath": {"path": marker, "type": "DirectoryOrCreate"}}]))
    node.wait_status(ns, "graceful", "Running", 60)
    start = time.time()
    node.kubectl("delete", "pod", "graceful", "-n", ns, timeout=60)
    took = time.time() - start
    try:
        assert open(marker + "/prestop").read() == "bye\n"
    finally:
        subprocess.run(["rm", "-rf", marker])
    assert 2 <= took < 15, took
    assert node.pod(ns, "graceful") is None
    assert any(r == "Killing" for r, _ in node.events(ns, "graceful"))


def test_force_delete(node, ns):
    node.apply(pod("stubborn", ns, [sh("sleep 3600")], node.name, terminationGracePeriodSeconds=300))
    node.wait_status(ns, "stubborn", "Running", 60)
    node.kubectl("delete", "pod", "stubborn", "-n", ns, "--grace-period=0", "--force")
    assert node.pod(ns, "stubborn") is None


def test_describe_tells_the_story(node, ns):
    node.apply(pod("story", ns, [sh("exit 1")], node.name))
    node.wait_status(ns, "story", "CrashLoopBackOff", 60)
    out = node.kubectl("describe", "pod", "story", "-n", ns).stdout
    for text in ("Node:", node.name, "Last State:", "Terminated", "Exit Code:", "Restart Count:",
                 "Events:", "Pulled", "Created", "Started", "BackOff"):
        assert text in out, text


def test_secret_and_downward_volumes(node, ns):
    node.kubectl("create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=s3cret")
    vols = [{"name": "sec", "secret": {"secretName": "creds", "items": [{"key": "password", "path": "pw", "mode": 0o400}]}},
            {"name": "info", "downwardAPI": {"items": [{"path": "name", "fieldRef": {"fieldPath": "metadata.name"}}]}}]
    mounts = [{"name": "sec", "mountPath": "/sec"}, {"name": "info", "mountPath": "/info"}]
    node.apply(pod("vols", ns, [sh("cat /sec/pw; echo; cat /info/name; echo; stat -L -c %a /sec/pw; sleep 3600",
                                   volumeMounts=mounts)], node.name, volumes=vols))
    node.wait(lambda: "vols" in node.kubectl("logs", "vols", "-n", ns, check=False).stdout, 60, "volume contents")
    assert node.kubectl("logs", "vols", "-n", ns).stdout.split() == ["s3cret", "vols", "400"]


def test_node_is_registered_with_lease(node):
    n = node.json("get", "node", node.name)
    assert {c["type"]: c["status"] for c in n["status"]["conditions"]} == {
        "MemoryPressure": "False", "DiskPressure": "False", "PIDPressure": "False", "Ready": "True"}
    assert n["status"]["capacity"]["pods"] == "110" and "cpu" in n["status"]["allocatable"]
    assert n["status"]["nodeInfo"]["containerRuntimeVersion"].split("://")[0] in ("skiff", "containerd")
    lease = node.json("get", "lease", node.name, "-n", "kube-node-lease")
    assert lease["spec"]["holderIdentity"] == node.name and lease["spec"]["leaseDurationSeconds"] == 40


def test_exec(node, ns):
    node.apply(pod("shell", ns, [sh("sleep 3600")], node.name))
    node.wait_status(ns, "shell", "Running", 60)
    out = node.kubectl("exec", "shell", "-n", ns, "--", "sh", "-c", "echo out; echo err >&2; exit 3", check=False)
    assert out.stdout == "out\n" and "err" in out.stderr and out.returncode == 3
    # head exits on its own: containerd's streaming server speaks v4 at most, where the end of
    # stdin cannot be signalled, so `cat` would wait forever there.
    echoed = node.kubectl("exec", "-i", "shell", "-n", ns, "--", "head", "-n", "1", input="piped through stdin\n")
    assert echoed.stdout == "piped through stdin\n"
    if node.runtime == "skiff":
        assert node.kubectl("exec", "-i", "shell", "-n", ns, "--", "cat", input="until eof\n").stdout == "until eof\n"
    tty = subprocess.run(["script", "-qec", f"kubectl --kubeconfig {node.kubeconfig} exec -it shell -n {ns} -- tty", "/dev/null"],
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert "/dev/pts/" in tty.stdout
    missing = node.kubectl("exec", "shell", "-n", ns, "--", "/no/such/binary", check=False)
    assert missing.returncode != 0


def test_image_pull_secret(node, ns):
    registry = os.environ["AUTH_REGISTRY"]
    image = f"{registry}/private/busybox:latest"
    node.apply(pod("nocreds", ns, [{"name": "main", "image": image, "command": ["sleep", "3600"]}], node.name))
    node.kubectl("create", "secret", "docker-registry", "regcred", "-n", ns, f"--docker-server={registry}",
                 "--docker-username=skiff", "--docker-password=secret")
    node.apply(pod("withcreds", ns, [{"name": "main", "image": image, "command": ["sleep", "3600"]}], node.name,
                   imagePullSecrets=[{"name": "regcred"}]))
    node.wait_status(ns, "withcreds", "Running", 90)
    node.wait(lambda: node.status_column(ns, "nocreds") in ("ErrImagePull", "ImagePullBackOff"), 60, "a refused pull")


def test_restart_keeps_containers_running(node, ns):
    node.apply(pod("steady", ns, [sh("sleep 3600", readinessProbe={"exec": {"command": ["true"]}, "periodSeconds": 1})], node.name))
    node.wait(lambda: "1/1" in node.kubectl("get", "pod", "steady", "-n", ns, check=False).stdout, 60, "steady ready")
    before = node.pod(ns, "steady")["status"]["containerStatuses"][0]
    node.stop(signal.SIGKILL)
    node.start()
    time.sleep(5)
    node.wait(lambda: "1/1" in node.kubectl("get", "pod", "steady", "-n", ns, check=False).stdout, 10, "still ready")
    after = node.pod(ns, "steady")["status"]["containerStatuses"][0]
    assert after["containerID"] == before["containerID"] and after["restartCount"] == 0


def test_scheduler_places_pods_and_explains_failures(node, ns):
    spec = pod("placed", ns, [sh("sleep 3600")], node.name)
    del spec["spec"]["nodeName"]
    node.apply(spec)
    node.wait_status(ns, "placed", "Running", 60)
    assert node.pod(ns, "placed")["spec"]["nodeName"] == node.name
    assert any(r == "Scheduled" and m == f"Successfully assigned {ns}/placed to {node.name}" for r, m in node.events(ns, "placed"))
    huge = pod("huge", ns, [sh("sleep 3600", resources={"requests": {"cpu": "500"}})], node.name)
    del huge["spec"]["nodeName"]
    node.apply(huge)
    node.wait(lambda: any(r == "FailedScheduling" for r, _ in node.events(ns, "huge")), 30, "FailedScheduling")
    message = [m for r, m in node.events(ns, "huge") if r == "FailedScheduling"][0]
    assert message.startswith("0/1 nodes are available: 1 Insufficient cpu.")
    assert "Unschedulable" in node.kubectl("get", "pod", "huge", "-n", ns, "-o", "jsonpath={.status.conditions[0].reason}").stdout
    assert node.status_column(ns, "huge") == "Pending"


def test_lost_node_is_tainted_and_its_pods_evicted(node, ns):
    if node.runtime != "skiff" or not CONTAINERD:
        pytest.skip("runs once: a second node (skiff agent driving containerd) joins the first server")
    # The agent joins with the cluster's join token and then acts as system:node:node-lost.
    agent = Agent(node, "node-lost").start()
    try:
        node.wait(lambda: agent.ready() == "True", 60, "node-lost Ready")
        tolerate = [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5}]
        node.apply(pod("stranded", ns, [sh("sleep 3600")], "node-lost", tolerations=tolerate))
        node.wait_status(ns, "stranded", "Running", 60)
        tolerations = node.pod(ns, "stranded")["spec"]["tolerations"]
        assert {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                "tolerationSeconds": 300} in tolerations
        agent.kill()
        node.wait(lambda: agent.ready() == "Unknown", 100, "node-lost Unknown")
        taints = node.json("get", "node", "node-lost")["spec"].get("taints", [])
        assert {"node.kubernetes.io/unreachable"} == {t["key"] for t in taints}
        node.wait(lambda: (node.pod(ns, "stranded") or {}).get("metadata", {}).get("deletionTimestamp"), 30, "eviction")
        assert any(r == "TaintManagerEviction" for r, _ in node.events(ns, "stranded"))
        # The node comes back: its taints go, and its kubelet finishes the eviction.
        agent.start()
        node.wait(lambda: agent.ready() == "True" and not node.json("get", "node", "node-lost")["spec"].get("taints"), 60,
                  "node-lost back without taints")
        node.wait(lambda: node.pod(ns, "stranded") is None, 60, "the evicted pod gone")
    finally:
        node.kubectl("delete", "pods", "--all", "-n", ns, "--grace-period=0", "--force", check=False)
        agent.kill()
        node.kubectl("delete", "node", "node-lost", check=False)


def test_cordon_and_drain(node, ns):
    try:
        node.kubectl("cordon", node.name)
        spec = pod("waits", ns, [sh("sleep 3600")], node.name)
        del spec["spec"]["nodeName"]
        node.apply(spec)
        node.wait(lambda: any(r == "FailedScheduling" and "node(s) were unschedulable" in m for r, m in node.events(ns, "waits")),
                  30, "FailedScheduling on a cordoned node")
        assert node.status_column(ns, "waits") == "Pending"
        node.kubectl("uncordon", node.name)
        node.wait_status(ns, "waits", "Running", 60)
        out = node.kubectl("drain", node.name, "--force", "--grace-period=1", "--timeout=90s", timeout=120)
        assert "drained" in out.stdout
        assert node.pod(ns, "waits") is None
        assert node.json("get", "node", node.name)["spec"].get("unschedulable") is True
    finally:
        node.kubectl("uncordon", node.name, check=False)


def test_pod_calls_the_api_server_with_its_service_account(node, ns):
    """The token the kubelet projects into the pod gets exactly the rights its bindings give."""
    node.kubectl("create", "serviceaccount", "reader", "-n", ns)
    node.kubectl("create", "rolebinding", "reader-view", "--clusterrole", "view", "--serviceaccount", f"{ns}:reader", "-n", ns)
    sa = "/var/run/secrets/kubernetes.io/serviceaccount"
    api = "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"
    call = f'wget -q -O - --no-check-certificate --header "Authorization: Bearer $(cat {sa}/token)"'
    script = (f'test "$(cat {sa}/namespace)" = {ns} && grep -q "BEGIN CERTIFICATE" {sa}/ca.crt && echo files-ok; '
              f'{call} {api}/api/v1/namespaces/{ns}/pods >/dev/null && echo list-ok; '
              f'{call} {api}/api/v1/namespaces/{ns}/secrets >/dev/null 2>&1 || echo secrets-denied; '
              f'{call} {api}/api/v1/namespaces/default/pods >/dev/null 2>&1 || echo other-namespace-denied; '
              'sleep 3600')
    # Host networking reaches the API server on the node's loopback address.
    node.apply(pod("caller", ns, [sh(script)], node.name, serviceAccountName="reader", hostNetwork=True))
    want = ["files-ok", "list-ok", "secrets-denied", "other-namespace-denied"]
    node.wait(lambda: node.kubectl("logs", "caller", "-n", ns, check=False).stdout.split() == want, 60,
              "calls from the pod: " + node.kubectl("logs", "caller", "-n", ns, check=False).stdout)
