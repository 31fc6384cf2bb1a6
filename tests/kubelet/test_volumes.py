"""Storage through CSI: claims of the default StorageClass provisioned by our host-path driver,
mounted into pods by the kubelet, reclaimed when the claim goes; checked through kubectl."""
import os

from conftest import T

BUSYBOX = "busybox"


def claim(name, ns, size="16Mi", modes=("ReadWriteOnce",), **spec):
    body = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": ns},
            "spec": {"accessModes": list(modes), "resources": {"requests": {"storage": size}}}}
    body["spec"].update(spec)
    return body


def claim_pod(name, ns, claim_name, script, grace=1):
    """A pod through the scheduler (no nodeName) mounting the claim at /data."""
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"terminationGracePeriodSeconds": grace, "restartPolicy": "Never",
                     "containers": [{"name": "main", "image": BUSYBOX, "command": ["sh", "-c", script],
                                     "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                     "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}]}}


def phase(node, ns, name):
    return ((node.pod(ns, name) or {}).get("status") or {}).get("phase")


def pvc(node, ns, name):
    return node.json("get", "pvc", name, "-n", ns, check=False)


def pv_dir_count(node):
    vols = os.path.join(node.dir, "data", "csi-hostpath", "volumes")
    return len(os.listdir(vols)) if os.path.isdir(vols) else 0


def test_default_class_provisions_binds_and_keeps_data_across_pods(node, ns):
    sc = node.kubectl("get", "sc").stdout
    assert "skiff-hostpath (default)" in sc and "hostpath.csi.skiff.dev" in sc and "WaitForFirstConsumer" in sc
    node.apply(claim("data", ns))
    c = pvc(node, ns, "data")
    assert c["spec"]["storageClassName"] == "skiff-hostpath"
    assert "kubernetes.io/pvc-protection" in c["metadata"]["finalizers"]
    node.wait(lambda: any(r == "WaitForFirstConsumer" for r, _ in node.events(ns, "data")), 20, "WaitForFirstConsumer event")
    assert pvc(node, ns, "data")["status"]["phase"] == "Pending"

    node.apply(claim_pod("writer", ns, "data", "echo hello-from-writer > /data/greeting && sync"))
    node.wait(lambda: phase(node, ns, "writer") == "Succeeded", 90, "writer to succeed")
    c = pvc(node, ns, "data")
    assert c["status"]["phase"] == "Bound"
    assert c["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"] == "yes"
    assert c["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == node.name
    pv_name = c["spec"]["volumeName"]
    pv = node.json("get", "pv", pv_name)
    assert pv["status"]["phase"] == "Bound"
    assert pv["spec"]["csi"]["driver"] == "hostpath.csi.skiff.dev"
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    assert pv["spec"]["claimRef"]["name"] == "data"
    term = pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]
    assert term == {"key": "topology.hostpath.csi.skiff.dev/node", "operator": "In", "values": [node.name]}
    reasons = [r for r, _ in node.events(ns, "data")]
    assert "ProvisioningSucceeded" in reasons

    table = node.kubectl("get", "pv,pvc", "-n", ns).stdout
    assert pv_name in table and "Bound" in table and f"{ns}/data" in table and "RWO" in table and "skiff-hostpath" in table
    described = node.kubectl("describe", "pvc", "data", "-n", ns).stdout
    assert "ProvisioningSucceeded" in described and "Used By:" in described

    node.kubectl("delete", "pod", "writer", "-n", ns, "--grace-period=1", "--timeout=60s")
    node.apply(claim_pod("reader", ns, "data", "cat /data/greeting"))
    node.wait(lambda: phase(node, ns, "reader") == "Succeeded", 90, "reader to succeed")
    assert node.kubectl("logs", "reader", "-n", ns).stdout.strip() == "hello-from-writer"
    node.kubectl("delete", "pod", "reader", "-n", ns, "--grace-period=1", "--timeout=60s")

    # Delete policy: the claim goes, the PV and the data follow.
    handle = pv["spec"]["csi"]["volumeHandle"]
    data_dir = os.path.join(node.dir, "data", "csi-hostpath", "volumes", handle)
    assert os.path.isdir(data_dir)
    node.kubectl("delete", "pvc", "data", "-n", ns, "--timeout=60s")
    node.wait(lambda: node.json("get", "pv", pv_name, check=False) is None, 60, "PV deleted")
    assert not os.path.exists(data_dir)
    # Nothing left mounted for the pods either.
    mounts = open("/proc/self/mountinfo").read()
    assert os.path.join(node.dir, "kubelet", "plugins") not in mounts
    assert handle not in mounts


def test_claim_in_use_is_protected_until_its_pod_goes(node, ns):
    node.apply(claim("held", ns))
    node.apply(claim_pod("holder", ns, "held", "sleep 3600"))
    node.wait_status(ns, "holder", "Running", 90)
    node.kubectl("delete", "pvc", "held", "-n", ns, "--wait=false")
    c = pvc(node, ns, "held")
    assert c is not None and c["metadata"].get("deletionTimestamp")
    assert "Terminating" in node.kubectl("get", "pvc", "held", "-n", ns).stdout
    node.kubectl("delete", "pod", "holder", "-n", ns, "--grace-period=1", "--timeout=60s")
    node.wait(lambda: pvc(node, ns, "held") is None, 60, "claim removed once unused")


def test_unsatisfiable_claim_leaves_pod_pending_with_reason(node, ns):
    node.apply(claim("huge", ns, size="900Ti"))
    node.apply(claim_pod("hopeful", ns, "huge", "true"))
    node.wait(lambda: any(r == "ProvisioningFailed" and "exceeds" in m for r, m in node.events(ns, "huge")), 60,
              "ProvisioningFailed event")
    assert phase(node, ns, "hopeful") == "Pending"
    assert pvc(node, ns, "huge")["status"]["phase"] == "Pending"
    described = node.kubectl("describe", "pvc", "huge", "-n", ns).stdout
    assert "ProvisioningFailed" in described

    # A class that does not exist: the claim says so and the pod is not scheduled.
    node.apply(claim("nowhere", ns, storageClassName="no-such-class"))
    node.apply(claim_pod("stranded", ns, "nowhere", "true"))
    node.wait(lambda: any(r == "ProvisioningFailed" and "not found" in m for r, m in node.events(ns, "nowhere")), 60,
              "class not found event")
    node.wait(lambda: any(r == "FailedScheduling" and "unbound immediate PersistentVolumeClaims" in m
                          for r, m in node.events(ns, "stranded")), 60, "FailedScheduling for the unbound claim")
    assert phase(node, ns, "stranded") == "Pending"
    assert not (node.pod(ns, "stranded") or {}).get("spec", {}).get("nodeName")


def test_read_write_once_pod_conflict_stays_pending(node, ns):
    node.apply(claim("solo", ns, modes=("ReadWriteOncePod",)))
    node.apply(claim_pod("first", ns, "solo", "sleep 3600"))
    node.wait_status(ns, "first", "Running", 90)
    node.apply(claim_pod("second", ns, "solo", "true"))
    node.wait(lambda: any(r == "FailedScheduling" and "ReadWriteOncePod" in m for r, m in node.events(ns, "second")), 60,
              "FailedScheduling for the ReadWriteOncePod conflict")
    assert phase(node, ns, "second") == "Pending"
    node.kubectl("delete", "pod", "first", "-n", ns, "--grace-period=1", "--timeout=60s")
    node.wait(lambda: phase(node, ns, "second") == "Succeeded", 90, "second to run once first is gone")


def test_inline_csi_volume(node, ns):
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "inline", "namespace": ns},
            "spec": {"terminationGracePeriodSeconds": 1, "restartPolicy": "Never",
                     "containers": [{"name": "main", "image": BUSYBOX,
                                     "command": ["sh", "-c", "echo hi > /scratch/f && cat /scratch/f"],
                                     "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}]}],
                     "volumes": [{"name": "scratch", "csi": {"driver": "hostpath.csi.skiff.dev"}}]}}
    node.apply(body)
    node.wait(lambda: phase(node, ns, "inline") == "Succeeded", 90, "inline pod to succeed")
    assert node.kubectl("logs", "inline", "-n", ns).stdout.strip() == "hi"
    uid = node.pod(ns, "inline")["metadata"]["uid"]
    node.kubectl("delete", "pod", "inline", "-n", ns, "--grace-period=1", "--timeout=60s")
    node.wait(lambda: not os.path.exists(os.path.join(node.dir, "kubelet", "pods", uid)), 30, "pod directory removed")
