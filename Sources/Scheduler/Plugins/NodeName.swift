/// A pod that names its node fits only there.
public struct NodeName: PreFilterPlugin, FilterPlugin {
    public static let name = "NodeName"
    public static let reason = "node(s) didn't match the requested node name"

    public var name: String { Self.name }

    public init() {}

    public func preFilter(_ pod: PodInfo) -> PluginStatus { pod.nodeName.isEmpty ? .skip : .success }

    public func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        pod.nodeName.isEmpty || pod.nodeName == node.name
            ? .success : PluginStatus(.unschedulableAndUnresolvable, [Self.reason])
    }
}
