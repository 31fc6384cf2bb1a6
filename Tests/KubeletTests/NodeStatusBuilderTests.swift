import Foundation
import KubeAPI
import Testing
@testable import Kubelet

struct NodeStatusBuilderTests {
    static let builder = NodeStatusBuilder(
        config: { var c = KubeletConfiguration(nodeName: "n1", nodeIP: "127.0.0.1"); c.registerTaints = ["dedicated=gpu:NoSchedule"]; return c }(),
        machine: MachineInfo(cpus: 2, memoryBytes: 4 << 30, ephemeralStorageBytes: 10 << 30, maxPods: 110),
        runtimeVersion: "skiff://0.1.0")

    @Test func readyFollowsTheRuntime() {
        let ok = Self.builder.status(health: .init(runtimeReady: true, networkReady: true), images: [], previous: nil, now: Fixture.t0)
        let ready = ok["conditions"]?.array?.first { $0["type"]?.string == "Ready" }
        #expect(ready?["status"]?.string == "True" && ready?["reason"]?.string == "KubeletReady")
        let down = Self.builder.status(health: .init(runtimeReady: false, networkReady: true, message: "gone"), images: [],
                                       previous: ok, now: Fixture.at(10))
        let notReady = down["conditions"]?.array?.first { $0["type"]?.string == "Ready" }
        #expect(notReady?["status"]?.string == "False" && notReady?["lastTransitionTime"]?.string == Timestamp.string(Fixture.at(10)))
        #expect(ok["capacity"]?["pods"]?.string == "110" && ok["capacity"]?["memory"]?.string == "4Gi")
    }

    @Test func heartbeatsAloneAreNotAChange() {
        let a = Self.builder.status(health: .init(runtimeReady: true, networkReady: true), images: [], previous: nil, now: Fixture.t0)
        let b = Self.builder.status(health: .init(runtimeReady: true, networkReady: true), images: [], previous: a, now: Fixture.at(10))
        #expect(a != b)
        #expect(NodeStatusBuilder.essence(a) == NodeStatusBuilder.essence(b))
    }

    @Test func registrationCarriesLabelsAndTaints() {
        let node = Self.builder.node(status: [:])
        #expect(node[path: ["metadata", "labels", "kubernetes.io/hostname"]]?.string == "n1")
        #expect(node[path: ["spec", "taints"]]?.array?.first == .object(JSONObject([("key", "dedicated"), ("value", "gpu"), ("effect", "NoSchedule")])))
    }

    @Test func hostResolver() {
        let dns = HostDNS.parse("# comment\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch a.example b.example\noptions ndots:2\n")
        #expect(dns.servers == ["10.0.0.2", "10.0.0.3"] && dns.searches == ["a.example", "b.example"] && dns.options == ["ndots:2"])
    }
}
