import KubeAPI
import Testing
@testable import Scheduler

@Suite struct FitErrorTests {
    static let unreachable = PluginStatus(.unschedulableAndUnresolvable, ["node(s) had untolerated taint {node.kubernetes.io/unreachable: }"])
    static let cpu = PluginStatus(.unschedulable, ["Insufficient cpu"])

    @Test func countsAndSortsReasons() {
        let e = FitError(numAllNodes: 3, nodeStatuses: [Self.unreachable, Self.cpu, Self.unreachable])
        #expect(e.message == "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }."
            + " preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.")
    }

    @Test func multipleReasonsFromOneNodeCountSeparately() {
        let both = PluginStatus(.unschedulable, ["Insufficient cpu", "Insufficient memory"])
        let e = FitError(numAllNodes: 2, nodeStatuses: [both, Self.cpu])
        #expect(e.message == "0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu."
            + " preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.")
    }

    @Test func sortsBytewiseLikeGo() {
        let statuses = Array(repeating: Self.cpu, count: 10) + Array(repeating: Self.unreachable, count: 2)
        let e = FitError(numAllNodes: 12, nodeStatuses: statuses)
        #expect(e.message.hasPrefix("0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint"))
        #expect(e.message.hasSuffix("preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."))
    }

    @Test func allUnresolvable() {
        let e = FitError(numAllNodes: 3, nodeStatuses: Array(repeating: PluginStatus(.unschedulableAndUnresolvable, ["node(s) didn't match Pod's node affinity/selector"]), count: 3))
        #expect(e.message == "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."
            + " preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    }

    @Test func preemptionPolicyNever() {
        let e = FitError(numAllNodes: 1, nodeStatuses: [Self.cpu], preemptionNever: true)
        #expect(e.message == "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")
    }

    @Test func preFilterRejection() {
        let e = FitError(numAllNodes: 2, preFilterStatus: PluginStatus(.unschedulableAndUnresolvable, ["pod affinity terms conflict"]), nodeStatuses: [])
        #expect(e.message == "0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.")
    }

    @Test func algorithmAggregatesAcrossThreeNodes() throws {
        var cache = NodeCache()
        cache.upsertNode(Fixture.node("small", cpu: "1"))
        cache.upsertNode(Fixture.node("gone1", taints: [Fixture.taint("node.kubernetes.io/unreachable", "", "NoExecute")], ready: "Unknown"))
        cache.upsertNode(Fixture.node("gone2", taints: [Fixture.taint("node.kubernetes.io/unreachable", "", "NoExecute")], ready: "Unknown"))
        var algo = ScheduleAlgorithm(framework: try SchedulingFramework())
        let outcome = algo.schedule(Fixture.podInfo(containers: [Fixture.container(cpu: "2")]), in: cache)
        guard case .unschedulable(let e) = outcome else { Issue.record("scheduled: \(outcome)"); return }
        #expect(e.message == "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }."
            + " preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.")
    }

    @Test func firstFailingFilterReports() throws {
        var cache = NodeCache()
        cache.upsertNode(Fixture.node("cordoned", cpu: "1", unschedulable: true))
        cache.upsertNode(Fixture.node("busy", cpu: "1"))
        var algo = ScheduleAlgorithm(framework: try SchedulingFramework())
        let pod = Fixture.podInfo(containers: [Fixture.container(cpu: "2")], spec: [("nodeSelector", ["x": "y"])])
        guard case .unschedulable(let e) = algo.schedule(pod, in: cache) else { Issue.record("scheduled"); return }
        #expect(e.message.hasPrefix("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable."))
    }

    @Test func noNodes() throws {
        var algo = ScheduleAlgorithm(framework: try SchedulingFramework())
        #expect(algo.schedule(Fixture.podInfo(), in: NodeCache()) == .noNodes)
    }

    @Test func unknownPluginIsRejected() {
        #expect(throws: SchedulingFramework.UnknownPlugin(name: "Nope")) {
            try SchedulingFramework(profile: SchedulerProfile(plugins: [.init("Nope")]))
        }
    }
}
