import KubeAPI
import Testing

struct PodResourceTotalsTests {
    static func c(_ cpu: String, sidecar: Bool = false) -> JSON {
        var o: JSON = ["name": "x", "resources": ["requests": .string(cpu), "limits": .string(cpu)]]
        o["resources"] = ["requests": ["cpu": .string(cpu)], "limits": ["cpu": .string(cpu)]]
        if sidecar { o["restartPolicy"] = "Always" }
        return o
    }

    @Test func appContainersAddInitContainersPeak() {
        let t = PodResourceTotals(spec: ["initContainers": [Self.c("3")], "containers": [Self.c("1"), Self.c("500m")]])
        #expect(t.requests["cpu"] == Quantity(3))
        let u = PodResourceTotals(spec: ["initContainers": [Self.c("1")], "containers": [Self.c("1"), Self.c("500m")]])
        #expect(u.limits["cpu"] == Quantity(milli: 1500))
    }

    @Test func sidecarsAndOverheadAddToEverything() {
        let t = PodResourceTotals(spec: ["initContainers": [Self.c("1", sidecar: true), Self.c("2")], "containers": [Self.c("1")],
                                         "overhead": ["cpu": "250m"]])
        // Init peak: sidecar 1 + init 2 = 3; apps: sidecar 1 + 1 = 2; plus overhead.
        #expect(t.requests["cpu"] == Quantity(milli: 3250))
    }
}
