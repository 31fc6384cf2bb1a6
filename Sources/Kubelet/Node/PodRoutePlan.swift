import KubeAPI

/// A route to another node's pod range through that node's address.
public struct PodRoute: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var destination: String
    public var gateway: String

    public init(destination: String, gateway: String) {
        self.destination = destination
        self.gateway = gateway
    }

    public var description: String { "\(destination) via \(gateway)" }
    public static func < (a: PodRoute, b: PodRoute) -> Bool { (a.destination, a.gateway) < (b.destination, b.gateway) }
}

/// Host-gateway pod networking (flannel's host-gw): each node routes every other node's pod range
/// through that node's InternalIP. Pure: which routes a node wants, and what to change to get them.
public enum PodRoutePlan {
    /// Simulated nodes configure nothing, so nothing may be routed to them.
    static let simulatedLabel = "skiff.io/simulated"

    /// The routes `selfName` (at `selfIP`) wants to the other nodes. Left out: nodes without an
    /// IPv4 range or InternalIP, simulated nodes, and nodes whose address is this node's own or
    /// a loopback one (several nodes sharing one network stack, which cannot route to each other).
    public static func desired(nodes: [JSON], selfName: String, selfIP: String) -> Set<PodRoute> {
        Set(nodes.compactMap { route(to: $0, selfName: selfName, selfIP: selfIP) })
    }

    /// The route to one node's pods, nil when it is left out (see `desired`).
    public static func route(to node: JSON, selfName: String, selfIP: String) -> PodRoute? {
        guard let name = node[path: ["metadata", "name"]]?.string, name != selfName,
              node[path: ["metadata", "labels", simulatedLabel]]?.string != "true",
              let range = NodePodRanges.ipv4(node), let gateway = internalIP(node),
              gateway != selfIP, let address = IPv4CIDR.parseAddress(gateway),
              !loopback.contains(address), !range.contains(address) else { return nil }
        return PodRoute(destination: range.description, gateway: gateway)
    }

    static let loopback = IPv4CIDR("127.0.0.0/8")!

    /// From the routes in place to the wanted ones: a route to a new range or through a new
    /// gateway is (re)placed; one to a range no longer wanted is removed.
    public static func changes(current: Set<PodRoute>, desired: Set<PodRoute>) -> (replace: [PodRoute], remove: [PodRoute]) {
        let wantedRanges = Set(desired.map(\.destination))
        let replace = desired.subtracting(current).sorted()
        let remove = current.filter { !wantedRanges.contains($0.destination) }.sorted()
        return (replace, remove)
    }

    static func internalIP(_ node: JSON) -> String? {
        node[path: ["status", "addresses"]]?.array?
            .first { $0["type"]?.string == "InternalIP" && IPv4CIDR.parseAddress($0["address"]?.string ?? "") != nil }?["address"]?.string
    }
}
