import KubeAPI
import Testing
@testable import Scheduler

@Suite struct NodeCacheTests {
    static func pod(_ name: String, node: String, cpu: String = "1") -> PodInfo {
        PodInfo(pod: Fixture.pod(name, containers: [Fixture.container(cpu: cpu, memory: "1Gi")], spec: [("nodeName", .string(node))]))
    }

    @Test func sumsRequestsOfAssignedPods() {
        var cache = NodeCache()
        cache.upsertNode(Fixture.node("n1"))
        cache.upsertAssignedPod(Self.pod("a", node: "n1"))
        cache.upsertAssignedPod(Self.pod("b", node: "n1", cpu: "500m"))
        var n = cache.node(named: "n1")!
        #expect(n.requested.milliCPU == 1500)
        #expect(n.requested.memory == 2 << 30)
        #expect(n.podCount == 2)
        #expect(n.allocatable.milliCPU == 4000)
        #expect(n.allowedPodCount == 110)
        cache.removePod(uid: "uid-default-a")
        n = cache.node(named: "n1")!
        #expect(n.requested.milliCPU == 500)
        #expect(n.podCount == 1)
    }

    @Test func assumedPodIsConfirmedOrForgotten() {
        var cache = NodeCache()
        cache.upsertNode(Fixture.node("n1"))
        cache.upsertNode(Fixture.node("n2"))
        let p = PodInfo(pod: Fixture.pod("a", containers: [Fixture.container(cpu: "1")]))
        cache.assume(p, on: "n1")
        #expect(cache.isAssumed(uid: p.uid))
        #expect(cache.node(named: "n1")!.requested.milliCPU == 1000)
        cache.forget(uid: p.uid)
        #expect(cache.node(named: "n1")!.podCount == 0)

        cache.assume(p, on: "n1")
        // The watch shows it bound elsewhere (someone else won): the cache follows the API.
        var bound = p
        bound.nodeName = "n2"
        cache.upsertAssignedPod(bound)
        #expect(!cache.isAssumed(uid: p.uid))
        #expect(cache.node(named: "n1")!.podCount == 0)
        #expect(cache.node(named: "n2")!.podCount == 1)
        cache.forget(uid: p.uid)
        #expect(cache.node(named: "n2")!.podCount == 1)
    }

    @Test func podsOfUnknownNodeWaitForIt() {
        var cache = NodeCache()
        cache.upsertAssignedPod(Self.pod("a", node: "late"))
        cache.upsertNode(Fixture.node("late"))
        #expect(cache.node(named: "late")!.requested.milliCPU == 1000)
        cache.removeNode(named: "late")
        #expect(cache.nodeCount == 0)
        cache.upsertNode(Fixture.node("late"))
        #expect(cache.node(named: "late")!.podCount == 1)
    }

    @Test func nodeUpdateReportsOnlySchedulingRelevantChanges() {
        var cache = NodeCache()
        var node = Fixture.node("n1")
        let added = cache.upsertNode(node)
        #expect(added)
        node[path: ["status", "conditions"]] = [["type": "Ready", "status": "True", "lastHeartbeatTime": "2026-01-01T00:00:00Z"]]
        let heartbeat = cache.upsertNode(node)
        #expect(!heartbeat)
        node[path: ["spec", "unschedulable"]] = true
        let cordoned = cache.upsertNode(node)
        #expect(cordoned)
    }

    @Test func removingANodeKeepsIndexesConsistent() {
        var cache = NodeCache()
        for i in 0..<5 { cache.upsertNode(Fixture.node("n\(i)")) }
        cache.removeNode(named: "n1")
        #expect(cache.nodes.map(\.name).sorted() == ["n0", "n2", "n3", "n4"])
        for n in ["n0", "n2", "n3", "n4"] { #expect(cache.node(named: n)?.name == n) }
    }
}
