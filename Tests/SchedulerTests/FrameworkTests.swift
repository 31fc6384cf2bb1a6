import KubeAPI
import Testing
@testable import Scheduler

@Suite struct FrameworkTests {
    /// Rejects nodes whose name starts with "bad", fails outright on "broken", scores by name length.
    struct Picky: FilterPlugin, ScorePlugin {
        static let name = "Picky"
        var name: String { Self.name }
        func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
            if node.name.hasPrefix("broken") { return PluginStatus(.error, ["disk on fire"]) }
            return node.name.hasPrefix("bad") ? PluginStatus(.unschedulable, ["node(s) were picky"]) : .success
        }
        func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 { Int64(node.name.count) }
    }

    static func framework(_ extra: [SchedulerProfile.Entry]) throws -> SchedulingFramework {
        var registry = PluginRegistry.builtIn
        registry.register(Picky.name) { Picky() }
        return try SchedulingFramework(profile: SchedulerProfile(plugins: SchedulerProfile.default.plugins + extra), registry: registry)
    }

    @Test func registeredPluginTakesPart() throws {
        var cache = NodeCache()
        for n in ["bad-1", "ok", "okay-longer"] { cache.upsertNode(Fixture.node(n)) }
        var algo = ScheduleAlgorithm(framework: try Self.framework([.init(Picky.name, weight: 100)]))
        #expect(algo.schedule(Fixture.podInfo(), in: cache) == .node("okay-longer"))
        cache.removeNode(named: "ok")
        cache.removeNode(named: "okay-longer")
        guard case .unschedulable(let e) = algo.schedule(Fixture.podInfo(), in: cache) else { Issue.record("scheduled"); return }
        #expect(e.message.hasPrefix("0/1 nodes are available: 1 node(s) were picky."))
        #expect(e.nodeStatuses.first?.plugin == "Picky")
    }

    @Test func errorStatusAbandonsTheCycle() throws {
        var cache = NodeCache()
        cache.upsertNode(Fixture.node("broken"))
        var algo = ScheduleAlgorithm(framework: try Self.framework([.init(Picky.name)]))
        #expect(algo.schedule(Fixture.podInfo(), in: cache) == .error("running plugin \"Picky\": disk on fire"))
    }

    @Test(arguments: [
        ([], [NodeUnschedulable.name, TaintToleration.name, NodeReady.name, NodeResourcesFit.name]),
        ([("nodeName", JSON.string("n1"))], [NodeUnschedulable.name, NodeName.name, TaintToleration.name, NodeReady.name, NodeResourcesFit.name]),
        ([("nodeSelector", ["a": "b"])], [NodeUnschedulable.name, TaintToleration.name, NodeReady.name, NodeAffinity.name, NodeResourcesFit.name]),
    ] as [([(String, JSON)], [String])])
    func preFilterSkipsFiltersWithNothingToCheck(spec: [(String, JSON)], filters: [String]) throws {
        let (status, active) = try SchedulingFramework().runPreFilters(Fixture.podInfo(spec: spec))
        #expect(status.isSuccess)
        #expect(active.map(\.name) == filters)
    }

    @Test func hostPortsKeepNodePorts() throws {
        let pod = Fixture.podInfo(containers: FilterTests.ports([(80, "", "")]))
        #expect(try SchedulingFramework().runPreFilters(pod).filters.map(\.name).contains(NodePorts.name))
    }

    @Test func zeroWeightDisablesScoring() throws {
        let profile = SchedulerProfile(plugins: [.init(NodeResourcesFit.name, weight: 0), .init(BalancedAllocation.name)])
        let f = try SchedulingFramework(profile: profile)
        #expect(f.filters.map(\.name) == [NodeResourcesFit.name])
        #expect(f.scorers.map(\.plugin.name) == [BalancedAllocation.name])
    }
}
