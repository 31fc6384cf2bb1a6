/// Filter: every NoSchedule and NoExecute taint must be tolerated; the first one that is not is
/// named in the reason. Score: fewer untolerated PreferNoSchedule taints is better.
public struct TaintToleration: FilterPlugin, ScorePlugin {
    public static let name = "TaintToleration"

    public var name: String { Self.name }

    public init() {}

    public static func reason(_ taint: Taint) -> String {
        "node(s) had untolerated taint {\(taint.key): \(taint.value)}"
    }

    public func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        for taint in node.taints where taint.blocksScheduling && !pod.tolerations.tolerate(taint) {
            return PluginStatus(.unschedulableAndUnresolvable, [Self.reason(taint)])
        }
        return .success
    }

    public func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        var count: Int64 = 0
        for taint in node.taints where taint.effect == .preferNoSchedule {
            if !pod.tolerations.contains(where: { $0.appliesToPreferNoSchedule && $0.tolerates(taint) }) { count += 1 }
        }
        return count
    }

    public func normalize(_ scores: inout [Int64]) { defaultNormalize(&scores, reverse: true) }
}
