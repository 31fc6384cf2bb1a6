"""Node IPAM: the server gives every Node a pod range of its own from --cluster-cidr, frees it
when the node goes, says so when none is left, and refuses to change a range once given."""
import json
import time

from conftest import Server


def node(name):
    return json.dumps({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}})


def wait(cond, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = cond()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def pod_cidr(s, name):
    out = s.kubectl("get", "node", name, "-o", "jsonpath={.spec.podCIDR} {.spec.podCIDRs}").stdout.split(" ", 1)
    return (out[0], json.loads(out[1])) if out[0] else None


def test_ranges_are_given_freed_exhausted_and_immutable(fresh_server):
    s = fresh_server
    s.extra += ["--cluster-cidr", "10.99.0.0/23", "--node-cidr-mask-size", "24"]
    s.start()
    for n in ("ipam-a", "ipam-b"):
        s.kubectl("create", "-f", "-", input=node(n))
    a = wait(lambda: pod_cidr(s, "ipam-a"), 20, "a range for ipam-a")
    b = wait(lambda: pod_cidr(s, "ipam-b"), 20, "a range for ipam-b")
    assert {a[0], b[0]} == {"10.99.0.0/24", "10.99.1.0/24"}
    assert a[1] == [a[0]] and b[1] == [b[0]]

    # Both ranges are taken: a third node waits, with an Event saying why.
    s.kubectl("create", "-f", "-", input=node("ipam-c"))
    def exhausted():
        events = json.loads(s.kubectl("get", "events", "-n", "default", "--field-selector",
                                      "involvedObject.name=ipam-c", "-o", "json").stdout)["items"]
        return [e for e in events if e["reason"] == "CIDRNotAvailable"]
    ev = wait(exhausted, 20, "CIDRNotAvailable")
    assert ev[0]["message"] == "Node ipam-c status is now: CIDRNotAvailable"
    assert pod_cidr(s, "ipam-c") is None

    # A range, once given, does not change.
    p = s.kubectl("patch", "node", "ipam-a", "--type", "merge", "-p",
                  json.dumps({"spec": {"podCIDR": b[0], "podCIDRs": [b[0]]}}), check=False)
    assert p.returncode != 0
    assert "node updates may not change podCIDR except from \"\" to valid" in p.stderr
    p = s.kubectl("create", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "bad"},
                                                        "spec": {"podCIDRs": ["10.1.0.0"]}}), check=False)
    assert p.returncode != 0 and "spec.podCIDRs[0]: Invalid value: \"10.1.0.0\": must be a valid CIDR value" in p.stderr

    # A deleted node's range goes to the node still waiting (its next update retries).
    s.kubectl("delete", "node", "ipam-a")
    s.kubectl("label", "node", "ipam-c", "poke=1")
    c = wait(lambda: pod_cidr(s, "ipam-c"), 20, "ipam-a's range for ipam-c")
    assert c[0] == a[0]
