import KubeAPI
import Testing
@testable import Scheduler

@Suite struct ScaleTests {
    /// 5,000 nodes, 500 pods: each cycle filters a sample of nodes and places the pod.
    @Test func fiveThousandNodes() throws {
        var cache = NodeCache()
        for i in 0..<5000 {
            var taints: [JSON] = []
            if i % 10 == 0 { taints.append(Fixture.taint("dedicated", "gpu")) }
            cache.upsertNode(Fixture.node("node-\(i)", cpu: "8", memory: "32Gi", labels: ["zone": "z\(i % 3)", "kubernetes.io/hostname": "node-\(i)"], taints: taints))
        }
        var algo = ScheduleAlgorithm(framework: try SchedulingFramework())
        let clock = ContinuousClock()
        let start = clock.now
        var placed = 0
        for i in 0..<500 {
            let pod = PodInfo(pod: Fixture.pod("p\(i)", containers: [Fixture.container(cpu: "100m", memory: "256Mi")],
                                                spec: [("nodeSelector", ["zone": .string("z\(i % 3)")])]))
            guard case .node(let n) = algo.schedule(pod, in: cache) else { Issue.record("pod \(i) unschedulable"); continue }
            #expect(!n.hasSuffix("0"))
            cache.assume(pod, on: n)
            placed += 1
        }
        let elapsed = clock.now - start
        #expect(placed == 500)
        let perSecond = 500 / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        print("ScaleTests: 500 pods on 5000 nodes in \(elapsed) (\(Int(perSecond)) pods/s)")
    }
}
