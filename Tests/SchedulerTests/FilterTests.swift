import KubeAPI
import Testing
@testable import Scheduler

@Suite struct FilterTests {
    @Test(arguments: [
        (false, [], true),
        (true, [], false),
        (true, [Fixture.toleration("node.kubernetes.io/unschedulable", op: "Exists", effect: "NoSchedule")], true),
        (true, [Fixture.toleration("", op: "Exists")], true),
        (true, [Fixture.toleration("node.kubernetes.io/unschedulable", op: "Exists", effect: "NoExecute")], false),
    ] as [(Bool, [JSON], Bool)])
    func nodeUnschedulable(cordoned: Bool, tolerations: [JSON], fits: Bool) {
        let pod = Fixture.podInfo(spec: [("tolerations", .array(tolerations))])
        let status = NodeUnschedulable().filter(pod, on: Fixture.nodeInfo(Fixture.node("n", unschedulable: cordoned)))
        #expect(status.isSuccess == fits)
        if !fits { #expect(status == PluginStatus(.unschedulableAndUnresolvable, ["node(s) were unschedulable"])) }
    }

    @Test(arguments: [("", true), ("n1", true), ("n2", false)])
    func nodeName(requested: String, fits: Bool) {
        let pod = Fixture.podInfo(spec: requested.isEmpty ? [] : [("nodeName", .string(requested))])
        let status = NodeName().filter(pod, on: Fixture.nodeInfo(Fixture.node("n1")))
        #expect(status.isSuccess == fits)
        if !fits { #expect(status.reasons == ["node(s) didn't match the requested node name"]) }
    }

    struct TaintCase: Sendable {
        var taints: [JSON]
        var tolerations: [JSON]
        var reason: String?
    }

    @Test(arguments: [
        TaintCase(taints: [], tolerations: [], reason: nil),
        TaintCase(taints: [Fixture.taint("a", "x")], tolerations: [], reason: "node(s) had untolerated taint {a: x}"),
        TaintCase(taints: [Fixture.taint("node.kubernetes.io/unreachable", "", "NoExecute")], tolerations: [],
                  reason: "node(s) had untolerated taint {node.kubernetes.io/unreachable: }"),
        TaintCase(taints: [Fixture.taint("a", "x", "PreferNoSchedule")], tolerations: [], reason: nil),
        TaintCase(taints: [Fixture.taint("a", "x")], tolerations: [Fixture.toleration("a", value: "x")], reason: nil),
        TaintCase(taints: [Fixture.taint("a", "x")], tolerations: [Fixture.toleration("a", value: "y")], reason: "node(s) had untolerated taint {a: x}"),
        TaintCase(taints: [Fixture.taint("a", "x")], tolerations: [Fixture.toleration("a", op: "Exists")], reason: nil),
        TaintCase(taints: [Fixture.taint("a", "x")], tolerations: [Fixture.toleration("a", op: "Exists", effect: "NoExecute")],
                  reason: "node(s) had untolerated taint {a: x}"),
        TaintCase(taints: [Fixture.taint("a", "x"), Fixture.taint("b", "", "NoExecute")], tolerations: [Fixture.toleration("", op: "Exists")], reason: nil),
        TaintCase(taints: [Fixture.taint("a", "x"), Fixture.taint("b", "", "NoExecute")], tolerations: [Fixture.toleration("a", op: "Exists")],
                  reason: "node(s) had untolerated taint {b: }"),
    ])
    func taintToleration(c: TaintCase) {
        let pod = Fixture.podInfo(spec: [("tolerations", .array(c.tolerations))])
        let status = TaintToleration().filter(pod, on: Fixture.nodeInfo(Fixture.node("n", taints: c.taints)))
        if let reason = c.reason {
            #expect(status == PluginStatus(.unschedulableAndUnresolvable, [reason]))
        } else {
            #expect(status.isSuccess)
        }
    }

    @Test(arguments: [
        ("True", [], true), ("False", [], false), ("Unknown", [], false), (nil, [], false),
        ("False", [Fixture.toleration("node.kubernetes.io/not-ready", op: "Exists")], true),
        ("Unknown", [Fixture.toleration("node.kubernetes.io/not-ready", op: "Exists")], false),
        ("Unknown", [Fixture.toleration("node.kubernetes.io/unreachable", op: "Exists", effect: "NoSchedule")], true),
    ] as [(String?, [JSON], Bool)])
    func nodeReady(ready: String?, tolerations: [JSON], fits: Bool) {
        let pod = Fixture.podInfo(spec: [("tolerations", .array(tolerations))])
        #expect(NodeReady().filter(pod, on: Fixture.nodeInfo(Fixture.node("n", ready: ready))).isSuccess == fits)
    }

    static func expr(_ key: String, _ op: String, _ values: [String] = []) -> JSON {
        ["key": .string(key), "operator": .string(op), "values": .array(values.map { .string($0) })]
    }

    static func required(_ terms: [JSON]) -> (String, JSON) {
        ("affinity", ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": .array(terms)]]])
    }

    @Test(arguments: [
        ([], true),
        ([("nodeSelector", ["zone": "a"])], true),
        ([("nodeSelector", ["zone": "b"])], false),
        ([("nodeSelector", ["zone": "a", "disk": "ssd"])], false),
        ([required([["matchExpressions": [expr("zone", "In", ["a", "b"])]]])], true),
        ([required([["matchExpressions": [expr("zone", "In", ["b"])]]])], false),
        ([required([["matchExpressions": [expr("zone", "NotIn", ["b"])]]])], true),
        ([required([["matchExpressions": [expr("missing", "NotIn", ["b"])]]])], true),
        ([required([["matchExpressions": [expr("zone", "Exists")]]])], true),
        ([required([["matchExpressions": [expr("zone", "DoesNotExist")]]])], false),
        ([required([["matchExpressions": [expr("cores", "Gt", ["8"])]]])], true),
        ([required([["matchExpressions": [expr("cores", "Gt", ["16"])]]])], false),
        ([required([["matchExpressions": [expr("cores", "Lt", ["17"])]]])], true),
        ([required([["matchExpressions": [expr("zone", "Lt", ["17"])]]])], false),
        ([required([["matchExpressions": [expr("zone", "In", ["b"])]], ["matchExpressions": [expr("zone", "In", ["a"])]]])], true),
        ([required([["matchExpressions": [expr("zone", "In", ["a"]), expr("cores", "In", ["1"])]]])], false),
        ([required([[:]])], false),
        ([required([["matchFields": [expr("metadata.name", "In", ["n1"])]]])], true),
        ([required([["matchFields": [expr("metadata.name", "NotIn", ["n1"])]]])], false),
        ([required([["matchExpressions": [expr("zone", "In", ["a"])]]]), ("nodeSelector", ["zone": "b"])], false),
    ] as [([(String, JSON)], Bool)])
    func nodeAffinity(spec: [(String, JSON)], fits: Bool) {
        let node = Fixture.nodeInfo(Fixture.node("n1", labels: ["zone": "a", "cores": "16"]))
        let status = NodeAffinity().filter(Fixture.podInfo(spec: spec), on: node)
        #expect(status.isSuccess == fits)
        if !fits { #expect(status == PluginStatus(.unschedulableAndUnresolvable, ["node(s) didn't match Pod's node affinity/selector"])) }
    }

    static func ports(_ list: [(Int64, String, String)]) -> [JSON] {
        [Fixture.container(extra: [("ports", .array(list.map { p in
            var j: JSON = ["containerPort": 80, "hostPort": .int(p.0)]
            if !p.1.isEmpty { j["protocol"] = .string(p.1) }
            if !p.2.isEmpty { j["hostIP"] = .string(p.2) }
            return j
        }))])]
    }

    @Test(arguments: [
        ([(8080, "", "")], [(8080, "", "")], false),
        ([(8080, "", "")], [(8081, "", "")], true),
        ([(8080, "UDP", "")], [(8080, "TCP", "")], true),
        ([(8080, "", "10.0.0.1")], [(8080, "", "10.0.0.2")], true),
        ([(8080, "", "10.0.0.1")], [(8080, "", "")], false),
        ([(8080, "", "")], [(8080, "", "10.0.0.2")], false),
        ([(0, "", "")], [(0, "", "")], true),
    ] as [([(Int64, String, String)], [(Int64, String, String)], Bool)])
    func nodePorts(existing: [(Int64, String, String)], wanted: [(Int64, String, String)], fits: Bool) {
        let running = Fixture.podInfo("running", containers: Self.ports(existing))
        let node = Fixture.nodeInfo(Fixture.node("n"), pods: [running])
        let status = NodePorts().filter(Fixture.podInfo(containers: Self.ports(wanted)), on: node)
        #expect(status.isSuccess == fits)
        if !fits { #expect(status == PluginStatus(.unschedulable, ["node(s) didn't have free ports for the requested pod ports"])) }
    }

    @Test func nodePortsFreedWhenPodLeaves() {
        let running = Fixture.podInfo("running", containers: Self.ports([(8080, "", "")]))
        let node = Fixture.nodeInfo(Fixture.node("n"), pods: [running])
        node.remove(uid: running.uid)
        #expect(NodePorts().filter(Fixture.podInfo(containers: Self.ports([(8080, "", "")])), on: node).isSuccess)
    }

    struct FitCase: Sendable {
        var node: JSON
        var existing: [[JSON]]
        var pod: [JSON]
        var reasons: [String]
    }

    @Test(arguments: [
        FitCase(node: Fixture.node("n", cpu: "2"), existing: [], pod: [Fixture.container(cpu: "2")], reasons: []),
        FitCase(node: Fixture.node("n", cpu: "2"), existing: [], pod: [Fixture.container(cpu: "2001m")], reasons: ["Insufficient cpu"]),
        FitCase(node: Fixture.node("n", cpu: "2"), existing: [[Fixture.container(cpu: "1500m")]], pod: [Fixture.container(cpu: "600m")],
                reasons: ["Insufficient cpu"]),
        FitCase(node: Fixture.node("n", cpu: "2", memory: "1Gi"), existing: [], pod: [Fixture.container(cpu: "3", memory: "2Gi")],
                reasons: ["Insufficient cpu", "Insufficient memory"]),
        FitCase(node: Fixture.node("n", pods: 1), existing: [[Fixture.container()]], pod: [Fixture.container()], reasons: ["Too many pods"]),
        FitCase(node: Fixture.node("n", pods: 0), existing: [], pod: [Fixture.container()], reasons: ["Too many pods"]),
        // Best-effort pods fit on a full node (only the pod count matters).
        FitCase(node: Fixture.node("n", cpu: "1"), existing: [[Fixture.container(cpu: "1")]], pod: [Fixture.container()], reasons: []),
        FitCase(node: Fixture.node("n", cpu: "2"), existing: [], pod: [Fixture.container("a", cpu: "1"), Fixture.container("b", cpu: "1500m")],
                reasons: ["Insufficient cpu"]),
        FitCase(node: Fixture.node("n"), existing: [],
                pod: [Fixture.container(extra: [("resources", ["requests": ["ephemeral-storage": "200Gi"]])])],
                reasons: ["Insufficient ephemeral-storage"]),
        FitCase(node: Fixture.node("n", extraAllocatable: [("example.com/gpu", "1")]), existing: [],
                pod: [Fixture.container(extra: [("resources", ["limits": ["example.com/gpu": "2"]])])],
                reasons: ["Insufficient example.com/gpu"]),
    ])
    func nodeResourcesFit(c: FitCase) {
        let pods = c.existing.enumerated().map { Fixture.podInfo("e\($0.offset)", containers: $0.element) }
        let status = NodeResourcesFit().filter(Fixture.podInfo(containers: c.pod), on: Fixture.nodeInfo(c.node, pods: pods))
        if c.reasons.isEmpty {
            #expect(status.isSuccess)
        } else {
            #expect(status == PluginStatus(.unschedulable, c.reasons))
        }
    }
}
