import KubeAPI
import Testing
@testable import Kubelet

struct ResourceAdmissionTests {
    static func requests(_ cpu: String?, _ memory: String? = nil) -> [(String, JSON)] {
        var r = JSONObject()
        if let cpu { r["cpu"] = .string(cpu) }
        if let memory { r["memory"] = .string(memory) }
        return [("resources", .object(JSONObject([("requests", .object(r))])))]
    }

    static let allocatable: [String: Quantity] = ["cpu": Quantity(2), "memory": Quantity(1 << 30, format: .binarySI), "pods": Quantity(3)]

    @Test(arguments: [
        // (requests of the new pod, of the pods already admitted, expected reason)
        ("500m", ["1"], nil),
        ("1500m", ["1"], "OutOfcpu"),
        ("3", [], "OutOfcpu"),
        (nil, ["100m", "100m", "100m"], "OutOfpods"),
    ] as [(String?, [String], String?)])
    func fitsOrNot(new: String?, others: [String], reason: String?) {
        let pod = Fixture.pod(containers: [Fixture.container("main", extra: Self.requests(new))])
        let admitted = others.map { Fixture.pod(containers: [Fixture.container("c", extra: Self.requests($0))]) }
        let rejection = ResourceAdmission(allocatable: Self.allocatable).check(pod, others: admitted)
        #expect(rejection?.reason == reason)
    }

    @Test func messageNamesTheShortfall() {
        let pod = Fixture.pod(containers: [Fixture.container("main", extra: Self.requests(nil, "2Gi"))])
        let r = ResourceAdmission(allocatable: Self.allocatable).check(pod, others: [])
        #expect(r?.message == "Pod was rejected: Node didn't have enough resource: memory, requested: 2147483648, used: 0, capacity: 1073741824")
    }

    @Test func initContainersCountByTheirMaximum() {
        let pod = Fixture.pod(containers: [Fixture.container("a", extra: Self.requests("100m")), Fixture.container("b", extra: Self.requests("200m"))],
                              initContainers: [Fixture.container("i", extra: Self.requests("1"))])
        #expect(ResourceAdmission.requests(pod)["cpu"] == 1000)
        let small = Fixture.pod(containers: [Fixture.container("a", extra: Self.requests("700m"))],
                                initContainers: [Fixture.container("i", extra: Self.requests("500m"))])
        #expect(ResourceAdmission.requests(small)["cpu"] == 700)
    }
}
