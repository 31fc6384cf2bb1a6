import KubeAPI
@testable import Kubelet
import Testing

struct PodRoutePlanTests {
    static func node(_ name: String, ip: String?, cidr: String?, simulated: Bool = false) -> JSON {
        var labels = JSONObject()
        if simulated { labels["skiff.io/simulated"] = "true" }
        var spec = JSONObject()
        if let cidr { spec["podCIDR"] = .string(cidr); spec["podCIDRs"] = .array([.string(cidr)]) }
        let addresses: [JSON] = ip.map { [.object(JSONObject([("type", "InternalIP"), ("address", .string($0))])),
                                          .object(JSONObject([("type", "Hostname"), ("address", .string(name))]))] } ?? []
        return .object(JSONObject([
            ("metadata", .object(JSONObject([("name", .string(name)), ("labels", .object(labels))]))),
            ("spec", .object(spec)),
            ("status", .object(JSONObject([("addresses", .array(addresses))]))),
        ]))
    }

    @Test func routesEveryOtherRealNode() {
        let nodes = [
            Self.node("a", ip: "10.215.0.1", cidr: "10.216.0.0/24"),
            Self.node("b", ip: "10.215.0.2", cidr: "10.216.1.0/24"),
            Self.node("c", ip: "10.215.0.3", cidr: "10.216.2.0/24"),
            Self.node("no-range", ip: "10.215.0.4", cidr: nil),
            Self.node("no-address", ip: nil, cidr: "10.216.4.0/24"),
            Self.node("loopback", ip: "127.0.0.1", cidr: "10.216.5.0/24"),
            Self.node("same-stack", ip: "10.215.0.1", cidr: "10.216.6.0/24"),
            Self.node("simulated", ip: "10.215.0.7", cidr: "10.216.7.0/24", simulated: true),
            Self.node("inside-own-range", ip: "10.216.8.9", cidr: "10.216.8.0/24"),
        ]
        #expect(PodRoutePlan.desired(nodes: nodes, selfName: "a", selfIP: "10.215.0.1") == [
            PodRoute(destination: "10.216.1.0/24", gateway: "10.215.0.2"),
            PodRoute(destination: "10.216.2.0/24", gateway: "10.215.0.3"),
        ])
    }

    @Test func changesReplaceNewAndMovedRoutesAndRemoveDepartedOnes() {
        let current: Set<PodRoute> = [
            PodRoute(destination: "10.216.1.0/24", gateway: "10.215.0.2"),
            PodRoute(destination: "10.216.2.0/24", gateway: "10.215.0.3"),
            PodRoute(destination: "10.216.3.0/24", gateway: "10.215.0.4"),
        ]
        let desired: Set<PodRoute> = [
            PodRoute(destination: "10.216.1.0/24", gateway: "10.215.0.2"),
            PodRoute(destination: "10.216.2.0/24", gateway: "10.215.0.9"),
            PodRoute(destination: "10.216.4.0/24", gateway: "10.215.0.5"),
        ]
        let (replace, remove) = PodRoutePlan.changes(current: current, desired: desired)
        #expect(replace == [PodRoute(destination: "10.216.2.0/24", gateway: "10.215.0.9"),
                            PodRoute(destination: "10.216.4.0/24", gateway: "10.215.0.5")])
        #expect(remove == [PodRoute(destination: "10.216.3.0/24", gateway: "10.215.0.4")])
        let none = PodRoutePlan.changes(current: desired, desired: desired)
        #expect(none.replace.isEmpty && none.remove.isEmpty)
    }
}
