import KubeAPI
import Testing
@testable import Scheduler

@Suite struct PodRequestsTests {
    struct Case: Sendable {
        var spec: JSON
        var milliCPU: Int64
        var memory: Int64
        var nonZeroMilliCPU: Int64
        var nonZeroMemory: Int64
    }

    static let mi: Int64 = 1 << 20

    @Test(arguments: [
        Case(spec: ["containers": [Fixture.container()]], milliCPU: 0, memory: 0, nonZeroMilliCPU: 100, nonZeroMemory: 200 * mi),
        Case(spec: ["containers": [Fixture.container(cpu: "250m", memory: "64Mi"), Fixture.container(cpu: "1")]],
             milliCPU: 1250, memory: 64 * mi, nonZeroMilliCPU: 1250, nonZeroMemory: 264 * mi),
        // max(sum of app containers, any init container)
        Case(spec: ["initContainers": [Fixture.container("i1", cpu: "2", memory: "1Gi"), Fixture.container("i2", cpu: "2", memory: "3Gi")],
                    "containers": [Fixture.container("c1", cpu: "2", memory: "1Gi"), Fixture.container("c2", cpu: "1", memory: "1Gi")]],
             milliCPU: 3000, memory: 3072 * mi, nonZeroMilliCPU: 3000, nonZeroMemory: 3072 * mi),
        // Overhead is added on top.
        Case(spec: ["containers": [Fixture.container(cpu: "1", memory: "1Gi")], "overhead": ["cpu": "250m", "memory": "120Mi"]],
             milliCPU: 1250, memory: 1144 * mi, nonZeroMilliCPU: 1250, nonZeroMemory: 1144 * mi),
        // A sidecar (restartable init container) runs beside the app containers and later init containers.
        Case(spec: ["initContainers": [Fixture.container("side", cpu: "500m", extra: [("restartPolicy", "Always")]),
                                       Fixture.container("init", cpu: "2")],
                    "containers": [Fixture.container("c", cpu: "1")]],
             milliCPU: 2500, memory: 0, nonZeroMilliCPU: 2500, nonZeroMemory: 400 * mi),
        // A limit alone is the request.
        Case(spec: ["containers": [Fixture.container(extra: [("resources", ["limits": ["cpu": "300m"]])])]],
             milliCPU: 300, memory: 0, nonZeroMilliCPU: 300, nonZeroMemory: 200 * mi),
    ])
    func requests(c: Case) {
        let r = PodRequests(spec: c.spec)
        #expect(r.requested.milliCPU == c.milliCPU)
        #expect(r.requested.memory == c.memory)
        #expect(r.nonZero.milliCPU == c.nonZeroMilliCPU)
        #expect(r.nonZero.memory == c.nonZeroMemory)
    }

    @Test(arguments: [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (9, 10)])
    func backoff(attempts: Int, seconds: Int64) {
        #expect(PodBackoff().duration(attempts: attempts) == .seconds(seconds))
    }

    @Test(arguments: [(10, 10), (99, 99), (100, 100), (500, 230), (1000, 420), (5000, 500), (6000, 300), (20000, 1000)])
    func sampling(nodes: Int, feasible: Int) {
        #expect(NodeSampling.feasibleNodesToFind(allNodes: nodes) == feasible)
    }

    @Test func samplingWithFixedPercentage() {
        #expect(NodeSampling.feasibleNodesToFind(allNodes: 5000, percentage: 100) == 5000)
        #expect(NodeSampling.feasibleNodesToFind(allNodes: 5000, percentage: 30) == 1500)
        #expect(NodeSampling.feasibleNodesToFind(allNodes: 500, percentage: 1) == 100)
    }
}
