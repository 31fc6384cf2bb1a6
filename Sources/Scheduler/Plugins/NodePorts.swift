/// A pod's host ports must be free on the node.
public struct NodePorts: PreFilterPlugin, FilterPlugin {
    public static let name = "NodePorts"
    public static let reason = "node(s) didn't have free ports for the requested pod ports"

    public var name: String { Self.name }

    public init() {}

    public func preFilter(_ pod: PodInfo) -> PluginStatus { pod.hostPorts.isEmpty ? .skip : .success }

    public func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        guard !pod.hostPorts.isEmpty, !node.usedPorts.isEmpty else { return .success }
        for p in pod.hostPorts where node.usedPorts.conflicts(p) {
            return PluginStatus(.unschedulable, [Self.reason])
        }
        return .success
    }
}
