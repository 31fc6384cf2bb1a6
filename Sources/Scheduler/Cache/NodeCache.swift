import KubeAPI

/// The scheduler's view of the cluster: every node with the pods placed on it, including pods we
/// bound ourselves whose binding the watch has not confirmed yet ("assumed").
///
/// Nodes live in an array so a scheduling cycle can walk them from a rotating start index.
public struct NodeCache {
    public private(set) var nodes: [NodeInfo] = []
    private var indexByName: [String: Int] = [:]
    /// Where each known pod is placed, and whether only we know it.
    private var placements: [String: Placement] = [:]
    /// Pods bound to a node the cache has not seen yet, added when it appears.
    private var orphans: [String: [String: PodInfo]] = [:]

    struct Placement {
        var node: String
        var assumed: Bool
    }

    public init() {}

    public var nodeCount: Int { nodes.count }

    public func node(named name: String) -> NodeInfo? { indexByName[name].map { nodes[$0] } }

    public func isAssumed(uid: String) -> Bool { placements[uid]?.assumed ?? false }

    public func nodeName(ofPod uid: String) -> String? { placements[uid]?.node }

    /// Adds or updates a node; true when something scheduling depends on changed.
    @discardableResult
    public mutating func upsertNode(_ json: JSON) -> Bool {
        let name = json["metadata"]?.string("name") ?? ""
        if let i = indexByName[name] {
            let before = nodes[i].schedulingFingerprint
            nodes[i] = nodes[i].updated(node: json)
            return nodes[i].schedulingFingerprint != before
        }
        let info = NodeInfo(node: json, pods: Array((orphans.removeValue(forKey: name) ?? [:]).values))
        indexByName[name] = nodes.count
        nodes.append(info)
        return true
    }

    public mutating func removeNode(named name: String) {
        guard let i = indexByName.removeValue(forKey: name) else { return }
        let removed = nodes[i]
        let last = nodes.removeLast()
        if i < nodes.count {
            nodes[i] = last
            indexByName[last.name] = i
        }
        // Pods still bound to the node stay accounted for, should it come back.
        if !removed.pods.isEmpty { orphans[name] = removed.pods }
    }

    /// Records a pod the API says is bound to `pod.nodeName`; confirms an assumed one.
    public mutating func upsertAssignedPod(_ pod: PodInfo) {
        if let old = placements[pod.uid], old.node != pod.nodeName { detach(uid: pod.uid, from: old.node) }
        placements[pod.uid] = Placement(node: pod.nodeName, assumed: false)
        attach(pod, to: pod.nodeName)
    }

    /// Places a pod we are binding, before the API confirms it.
    public mutating func assume(_ pod: PodInfo, on node: String) {
        var pod = pod
        pod.nodeName = node
        if let old = placements[pod.uid] { detach(uid: pod.uid, from: old.node) }
        placements[pod.uid] = Placement(node: node, assumed: true)
        attach(pod, to: node)
    }

    /// Undoes `assume` after a failed binding; a confirmed placement stays.
    public mutating func forget(uid: String) {
        guard let p = placements[uid], p.assumed else { return }
        removePod(uid: uid)
    }

    /// Removes a pod wherever it is placed; returns whether it was.
    @discardableResult
    public mutating func removePod(uid: String) -> Bool {
        guard let p = placements.removeValue(forKey: uid) else { return false }
        detach(uid: uid, from: p.node)
        return true
    }

    private mutating func attach(_ pod: PodInfo, to node: String) {
        if let i = indexByName[node] { nodes[i].add(pod) } else { orphans[node, default: [:]][pod.uid] = pod }
    }

    private mutating func detach(uid: String, from node: String) {
        if let i = indexByName[node] {
            nodes[i].remove(uid: uid)
        } else if var o = orphans[node] {
            o[uid] = nil
            orphans[node] = o.isEmpty ? nil : o
        }
    }
}
