/// Keeps pods off cordoned nodes (`spec.unschedulable`) unless they tolerate the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint a cordon implies.
public struct NodeUnschedulable: FilterPlugin {
    public static let name = "NodeUnschedulable"
    public static let reason = "node(s) were unschedulable"
    static let cordonTaint = Taint(key: Taint.unschedulableKey, effect: .noSchedule)

    public var name: String { Self.name }

    public init() {}

    public func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        guard node.unschedulable, !pod.tolerations.tolerate(Self.cordonTaint) else { return .success }
        return PluginStatus(.unschedulableAndUnresolvable, [Self.reason])
    }
}
