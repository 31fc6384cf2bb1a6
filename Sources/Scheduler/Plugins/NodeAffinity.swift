/// Filter: `nodeSelector` labels must all match and, when set, one of the required
/// `nodeSelectorTerms` must match. Score: the summed weights of matching preferred terms.
public struct NodeAffinity: PreFilterPlugin, FilterPlugin, ScorePlugin {
    public static let name = "NodeAffinity"
    public static let reason = "node(s) didn't match Pod's node affinity/selector"

    public var name: String { Self.name }

    public init() {}

    public func preFilter(_ pod: PodInfo) -> PluginStatus {
        pod.nodeSelector.isEmpty && pod.requiredTerms == nil ? .skip : .success
    }

    public func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        Self.matchesRequired(pod, node) ? .success : PluginStatus(.unschedulableAndUnresolvable, [Self.reason])
    }

    static func matchesRequired(_ pod: PodInfo, _ node: NodeInfo) -> Bool {
        for (k, v) in pod.nodeSelector where node.labels[k] != v { return false }
        guard let terms = pod.requiredTerms else { return true }
        return terms.contains { $0.matches(name: node.name, labels: node.labels) }
    }

    public func skips(_ pod: PodInfo) -> Bool { pod.preferredTerms.isEmpty }

    public func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        var total: Int64 = 0
        for (weight, term) in pod.preferredTerms where term.matches(name: node.name, labels: node.labels) { total += weight }
        return total
    }

    public func normalize(_ scores: inout [Int64]) { defaultNormalize(&scores, reverse: false) }
}
