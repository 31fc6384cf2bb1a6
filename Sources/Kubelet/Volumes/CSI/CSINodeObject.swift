import KubeAPI

/// The node's storage.k8s.io/v1 CSINode, as the kubelet keeps it: one entry per registered CSI
/// driver with the driver's node ID and topology keys (and its volume limit), owned by the
/// Node so that it goes with it. Pure: the writes are `CSINodeWriter`'s.
struct CSINodeObject {
    struct Driver: Equatable, Sendable {
        var name: String
        var nodeID: String
        var topologyKeys: [String]
        var maxVolumes: Int64 = 0

        var json: JSON {
            var d = JSONObject([("name", .string(name)), ("nodeID", .string(nodeID)),
                                ("topologyKeys", .array(topologyKeys.sorted().map { .string($0) }))])
            if maxVolumes > 0 { d["allocatable"] = .object(JSONObject([("count", .int(maxVolumes))])) }
            return .object(d)
        }
    }

    /// A new CSINode for the node (its uid for the owner reference), with these drivers.
    static func new(node: String, nodeUID: String?, drivers: [Driver]) -> JSON {
        var meta = JSONObject([("name", .string(node))])
        if let nodeUID {
            meta["ownerReferences"] = .array([.object(JSONObject([
                ("apiVersion", "v1"), ("kind", "Node"), ("name", .string(node)), ("uid", .string(nodeUID)),
            ]))])
        }
        return .object(JSONObject([
            ("apiVersion", "storage.k8s.io/v1"), ("kind", "CSINode"), ("metadata", .object(meta)),
            ("spec", .object(JSONObject([("drivers", .array(drivers.sorted { $0.name < $1.name }.map(\.json)))]))),
        ]))
    }

    /// `existing` with the driver's entry added or replaced; nil when it already says so.
    static func adding(_ driver: Driver, to existing: JSON) -> JSON? {
        let drivers = existing[path: ["spec", "drivers"]]?.array ?? []
        if drivers.contains(driver.json) { return nil }
        var out = existing
        let others = drivers.filter { $0["name"]?.string != driver.name }
        out[path: ["spec", "drivers"]] = .array((others + [driver.json]).sorted { ($0["name"]?.string ?? "") < ($1["name"]?.string ?? "") })
        return out
    }

    /// `existing` without the driver's entry; nil when it has none.
    static func removing(_ name: String, from existing: JSON) -> JSON? {
        let drivers = existing[path: ["spec", "drivers"]]?.array ?? []
        guard drivers.contains(where: { $0["name"]?.string == name }) else { return nil }
        var out = existing
        out[path: ["spec", "drivers"]] = .array(drivers.filter { $0["name"]?.string != name })
        return out
    }
}
