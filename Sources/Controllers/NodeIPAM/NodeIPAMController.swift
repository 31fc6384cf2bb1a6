import Foundation
import KubeAPI
import KubeClient
import Logging

/// kube-controller-manager's node IPAM (range allocator): every Node without a pod range gets the
/// next free block of the cluster CIDR in `spec.podCIDR` and `spec.podCIDRs`; a deleted node's
/// block is freed. When no block is left the node gets a `CIDRNotAvailable` Event, once. Talks REST only.
public actor NodeIPAMController {
    private let client: KubeClient
    private let logger: Logger
    private var set: CIDRSet
    /// The block each node holds, as this controller knows it.
    private var held: [String: String] = [:]
    private var reportedExhausted: Set<String> = []

    public init(client: KubeClient, clusterCIDR: String, nodeMaskSize: Int, logger: Logger) throws {
        self.client = client
        self.set = try CIDRSet(cluster: clusterCIDR, maskSize: nodeMaskSize)
        self.logger = logger
    }

    public func run() async {
        logger.info("node IPAM", metadata: ["clusterCIDR": "\(set.cluster)", "nodeMaskSize": "\(set.maskSize)", "ranges": "\(set.capacity)"])
        for await event in Reflector(client: client, path: "/api/v1/nodes").events() {
            switch event {
            case .replaced(let nodes):
                for (name, cidr) in held where !nodes.contains(where: { Self.name($0) == name }) {
                    set.release(cidr)
                    held[name] = nil
                }
                // Ranges already given are taken first, so that none is given twice.
                for node in nodes { record(node) }
                for node in nodes { await assignIfNeeded(node) }
            case .added(let node), .modified(let node):
                record(node)
                await assignIfNeeded(node)
            case .deleted(let node):
                if let cidr = held.removeValue(forKey: Self.name(node)) { set.release(cidr) }
                reportedExhausted.remove(Self.name(node))
            }
        }
    }

    static func name(_ node: JSON) -> String { node[path: ["metadata", "name"]]?.string ?? "" }

    /// The node's IPv4 pod range: the first of `spec.podCIDRs`, else `spec.podCIDR`.
    static func podCIDR(_ node: JSON) -> String? {
        NodePodRanges.of(node).first { IPv4CIDR($0) != nil }
    }

    private func record(_ node: JSON) {
        let name = Self.name(node)
        guard let cidr = Self.podCIDR(node) else { return }
        if let previous = held[name], previous != cidr { set.release(previous) }
        if set.occupy(cidr) { held[name] = cidr }
    }

    private func assignIfNeeded(_ node: JSON) async {
        let name = Self.name(node)
        guard !name.isEmpty, Self.podCIDR(node) == nil, held[name] == nil,
              node[path: ["metadata", "deletionTimestamp"]] == nil else { return }
        guard let cidr = set.allocate() else {
            if reportedExhausted.insert(name).inserted { await reportExhausted(node) }
            return
        }
        held[name] = cidr
        let patch: JSON = .object(JSONObject([("spec", .object(JSONObject([
            ("podCIDR", .string(cidr)), ("podCIDRs", .array([.string(cidr)])),
        ])))]))
        do {
            _ = try await client.patch("/api/v1/nodes/\(name)", patch, type: .merge)
            logger.info("pod range given to node", metadata: ["node": "\(name)", "podCIDR": "\(cidr)"])
        } catch {
            // The next event for the node (its kubelet writes status every 10 s) tries again.
            held[name] = nil
            set.release(cidr)
            logger.warning("pod range not written", metadata: ["node": "\(name)", "error": "\(error)"])
        }
    }

    private func reportExhausted(_ node: JSON) async {
        let name = Self.name(node)
        logger.warning("no pod range left for node", metadata: ["node": "\(name)", "clusterCIDR": "\(set.cluster)"])
        let now = JSON.string(Timestamp.string(Date()))
        let event: JSON = .object(JSONObject([
            ("apiVersion", "v1"), ("kind", "Event"),
            ("metadata", .object(JSONObject([("generateName", .string("\(name).")), ("namespace", "default")]))),
            ("involvedObject", .object(JSONObject([("kind", "Node"), ("name", .string(name)),
                                                   ("uid", .string(node[path: ["metadata", "uid"]]?.string ?? name))]))),
            ("reason", "CIDRNotAvailable"), ("message", .string("Node \(name) status is now: CIDRNotAvailable")),
            ("source", .object(JSONObject([("component", "cidrAllocator")]))),
            ("firstTimestamp", now), ("lastTimestamp", now), ("count", 1), ("type", "Normal"),
        ]))
        _ = try? await client.create("/api/v1/namespaces/default/events", event)
    }
}
