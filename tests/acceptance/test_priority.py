"""PriorityClasses and the Priority admission plugin, through kubectl."""
import json


def pod(name, extra=""):
    return (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{extra}"
            "  containers:\n  - name: main\n    image: busybox:1.36\n")


def spec(s, ns, name):
    return json.loads(s.kubectl("get", "pod", name, "-n", ns, "-o", "json").stdout)["spec"]


def test_priority_classes(server, ns):
    # Every cluster has the two system classes.
    table = server.kubectl("get", "priorityclasses").stdout
    assert "system-node-critical" in table and "2000001000" in table and "system-cluster-critical" in table
    assert "PREEMPTIONPOLICY" in table

    server.kubectl("create", "priorityclass", "high", "--value=1000", "--description=important")
    server.kubectl("apply", "-n", ns, "-f", "-", input=pod("urgent", "  priorityClassName: high\n"))
    s = spec(server, ns, "urgent")
    assert s["priority"] == 1000 and s["preemptionPolicy"] == "PreemptLowerPriority"
    assert spec(server, ns, "urgent")["priorityClassName"] == "high"

    missing = server.kubectl("apply", "-n", ns, "-f", "-", check=False, input=pod("lost", "  priorityClassName: nope\n"))
    assert missing.returncode != 0 and "no PriorityClass with name nope was found" in missing.stderr
    wrong = server.kubectl("apply", "-n", ns, "-f", "-", check=False,
                           input=pod("liar", "  priorityClassName: high\n  priority: 5\n"))
    assert "the integer value of priority (5) must not be provided in pod spec" in wrong.stderr

    # The global default applies to pods that name no class; only one may be the default.
    server.kubectl("create", "priorityclass", "standard", "--value=100", "--global-default", "--preemption-policy=Never")
    try:
        second = server.kubectl("create", "priorityclass", "other", "--value=5", "--global-default", check=False)
        assert "PriorityClass standard is already marked as default. Only one default can exist" in second.stderr
        server.kubectl("apply", "-n", ns, "-f", "-", input=pod("plain"))
        s = spec(server, ns, "plain")
        assert (s["priorityClassName"], s["priority"], s["preemptionPolicy"]) == ("standard", 100, "Never")
    finally:
        server.kubectl("delete", "priorityclass", "standard")

    # Names and values users may not take, and a value that never changes.
    reserved = server.kubectl("create", "priorityclass", "system-mine", "--value=10", check=False)
    assert "priority class names with 'system-' prefix are reserved for system use only" in reserved.stderr
    huge = server.kubectl("create", "priorityclass", "huge", "--value=2000000000", check=False)
    assert "maximum allowed value of a user defined priority is 1000000000" in huge.stderr
    changed = server.kubectl("patch", "priorityclass", "high", "--type=merge", "-p", '{"value": 7}', check=False)
    assert changed.returncode != 0 and "may not be changed in an update" in changed.stderr
    server.kubectl("delete", "priorityclass", "high")
