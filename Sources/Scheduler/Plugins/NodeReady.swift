/// Keeps pods off nodes whose Ready condition is not True.
///
/// Upstream relies on the node lifecycle controller's `not-ready` / `unreachable` taints alone
/// (and TaintToleration reports those). This covers the window before the taint lands, and
/// honours the same tolerations, so a pod that would tolerate the taint is not held back.
public struct NodeReady: FilterPlugin {
    public static let name = "NodeReady"
    public static let reason = "node(s) were not ready"
    static let notReady = Taint(key: Taint.notReadyKey, effect: .noSchedule)
    static let unreachable = Taint(key: Taint.unreachableKey, effect: .noSchedule)

    public var name: String { Self.name }

    public init() {}

    public func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        let tolerated: Bool
        switch node.readyStatus {
        case "True": tolerated = true
        case "Unknown": tolerated = pod.tolerations.tolerate(Self.unreachable)
        default: tolerated = pod.tolerations.tolerate(Self.notReady)
        }
        return tolerated ? .success : PluginStatus(.unschedulableAndUnresolvable, [Self.reason])
    }
}
