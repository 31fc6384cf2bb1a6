import KubeAPI
import Testing
@testable import Scheduler

@Suite struct ScoreTests {
    static let gi: Int64 = 1 << 30

    // LeastAllocated: mean over cpu and memory of (capacity - requested) * 100 / capacity.
    @Test(arguments: [
        // empty 4-core/8Gi node, pod 1 cpu / 2Gi: cpu 75, memory 75
        ("1", "2Gi", [], 75),
        // existing 2 cpu / 2Gi: cpu (4-3)/4=25, memory (8-4)/8=50 → 37
        ("1", "2Gi", [("2", "2Gi")], 37),
        // best effort pod counts as 100m / 200Mi: cpu 97, memory 97
        (nil, nil, [], 97),
        // over capacity scores 0 for that resource: cpu 0, memory 75
        ("5", "2Gi", [], 37),
    ] as [(String?, String?, [(String, String)], Int64)])
    func leastAllocated(cpu: String?, memory: String?, existing: [(String, String)], score: Int64) {
        let pods = existing.enumerated().map { Fixture.podInfo("e\($0.offset)", containers: [Fixture.container(cpu: $0.element.0, memory: $0.element.1)]) }
        let node = Fixture.nodeInfo(Fixture.node("n", cpu: "4", memory: "8Gi"), pods: pods)
        #expect(NodeResourcesFit().score(Fixture.podInfo(containers: [Fixture.container(cpu: cpu, memory: memory)]), on: node) == score)
    }

    @Test(arguments: [
        // cpu 1/4 = .25, memory 2/8 = .25: perfectly balanced
        ("1", "2Gi", 100),
        // cpu .5, memory .125 → std .1875 → 81
        ("2", "1Gi", 81),
        // cpu capped at 1, memory 0 → std .5 → 50
        ("8", "0", 50),
    ])
    func balancedAllocation(cpu: String, memory: String, score: Int64) {
        let node = Fixture.nodeInfo(Fixture.node("n", cpu: "4", memory: "8Gi"))
        #expect(BalancedAllocation().score(Fixture.podInfo(containers: [Fixture.container(cpu: cpu, memory: memory)]), on: node) == score)
    }

    @Test func taintTolerationCountsUntoleratedPreferNoSchedule() {
        let taints = [Fixture.taint("a", "1", "PreferNoSchedule"), Fixture.taint("b", "1", "PreferNoSchedule"), Fixture.taint("c", "", "NoSchedule")]
        let pod = Fixture.podInfo(spec: [("tolerations", [Fixture.toleration("a", op: "Exists"), Fixture.toleration("b", op: "Exists", effect: "NoSchedule")])])
        #expect(TaintToleration().score(pod, on: Fixture.nodeInfo(Fixture.node("n", taints: taints))) == 1)
    }

    @Test(arguments: [
        ([0, 1, 2], true, [100, 50, 0]),
        ([0, 0, 0], true, [100, 100, 100]),
        ([0, 0, 0], false, [0, 0, 0]),
        ([10, 5, 0], false, [100, 50, 0]),
        ([3, 1], false, [100, 33]),
    ] as [([Int64], Bool, [Int64])])
    func normalize(raw: [Int64], reverse: Bool, normalized: [Int64]) {
        var s = raw
        defaultNormalize(&s, reverse: reverse)
        #expect(s == normalized)
    }

    @Test func nodeAffinityPreferredWeights() {
        let term = { (key: String, value: String, weight: Int64) -> JSON in
            ["weight": .int(weight), "preference": ["matchExpressions": [["key": .string(key), "operator": "In", "values": [.string(value)]]]]]
        }
        let pod = Fixture.podInfo(spec: [("affinity", ["nodeAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            term("zone", "a", 5), term("disk", "ssd", 3), term("zone", "b", 7),
        ]]])])
        let node = Fixture.nodeInfo(Fixture.node("n", labels: ["zone": "a", "disk": "ssd"]))
        #expect(NodeAffinity().score(pod, on: node) == 8)
        #expect(!NodeAffinity().skips(pod))
        #expect(NodeAffinity().skips(Fixture.podInfo()))
    }

    @Test func preferNoScheduleTaintSteersAway() throws {
        var cache = NodeCache()
        cache.upsertNode(Fixture.node("tainted", taints: [Fixture.taint("a", "", "PreferNoSchedule")]))
        cache.upsertNode(Fixture.node("clean"))
        var algo = ScheduleAlgorithm(framework: try SchedulingFramework())
        for i in 0..<10 { #expect(algo.schedule(Fixture.podInfo("p\(i)"), in: cache) == .node("clean")) }
    }

    @Test func preferredAffinityWins() throws {
        var cache = NodeCache()
        cache.upsertNode(Fixture.node("a", labels: ["disk": "hdd"]))
        cache.upsertNode(Fixture.node("b", labels: ["disk": "ssd"]))
        let pod = Fixture.podInfo(spec: [("affinity", ["nodeAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 10, "preference": ["matchExpressions": [["key": "disk", "operator": "In", "values": ["ssd"]]]]],
        ]]])])
        var algo = ScheduleAlgorithm(framework: try SchedulingFramework())
        #expect(algo.schedule(pod, in: cache) == .node("b"))
    }

    @Test func leastAllocatedSpreadsPods() throws {
        var cache = NodeCache()
        for n in ["a", "b", "c"] { cache.upsertNode(Fixture.node(n)) }
        var algo = ScheduleAlgorithm(framework: try SchedulingFramework())
        var counts: [String: Int] = [:]
        for i in 0..<9 {
            let pod = Fixture.podInfo("p\(i)", containers: [Fixture.container(cpu: "100m", memory: "128Mi")])
            guard case .node(let n) = algo.schedule(pod, in: cache) else { Issue.record("unschedulable"); return }
            cache.assume(pod, on: n)
            counts[n, default: 0] += 1
        }
        #expect(counts == ["a": 3, "b": 3, "c": 3])
    }
}
