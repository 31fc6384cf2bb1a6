/// PreFilter: every claim the pod uses must exist; an unbound one must be of a late-binding
/// (WaitForFirstConsumer) class, since an Immediate one is the PV controller's to bind first;
/// a ReadWriteOncePod claim must not be in use by another pod (VolumeRestrictions upstream).
/// Filter: a bound claim's volume node affinity must match the node.
public struct VolumeBinding: PreFilterPlugin, FilterPlugin {
    public static let name = "VolumeBinding"
    public static let unboundImmediate = "pod has unbound immediate PersistentVolumeClaims"
    public static let nodeConflict = "node(s) had volume node affinity conflict"
    public static let readWriteOncePodConflict = "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"

    public var name: String { Self.name }
    let state: VolumeState

    public init(state: VolumeState) { self.state = state }

    public func preFilter(_ pod: PodInfo) -> PluginStatus {
        guard !pod.claimNames.isEmpty else { return .skip }
        for name in pod.claimNames {
            guard let claim = state.claim(pod.namespace, name) else {
                return PluginStatus(.unschedulableAndUnresolvable, ["persistentvolumeclaim \"\(name)\" not found"])
            }
            if claim.isDeleted {
                return PluginStatus(.unschedulableAndUnresolvable, ["persistentvolumeclaim \"\(name)\" is being deleted"])
            }
            if claim.accessModes.contains("ReadWriteOncePod"), !state.users(pod.namespace, name).subtracting([pod.uid]).isEmpty {
                return PluginStatus(.unschedulableAndUnresolvable, [Self.readWriteOncePodConflict])
            }
            if claim.volumeName.isEmpty && !state.isLateBinding(claim.className) {
                return PluginStatus(.unschedulableAndUnresolvable, [Self.unboundImmediate])
            }
        }
        return .success
    }

    public func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        for name in pod.claimNames {
            guard let claim = state.claim(pod.namespace, name) else { continue }
            if claim.volumeName.isEmpty {
                if let selected = claim.selectedNode, selected != node.name {
                    return PluginStatus(.unschedulableAndUnresolvable, [Self.nodeConflict])
                }
                continue
            }
            guard let terms = state.nodeTerms(ofVolume: claim.volumeName), !terms.isEmpty else { continue }
            if !terms.contains(where: { $0.matches(name: node.name, labels: node.labels) }) {
                return PluginStatus(.unschedulableAndUnresolvable, [Self.nodeConflict])
            }
        }
        return .success
    }

    /// Claims of the pod still waiting for a node: the scheduler writes the chosen one on them.
    func lateBindingClaims(_ pod: PodInfo) -> [String] {
        pod.claimNames.filter { name in
            guard let c = state.claim(pod.namespace, name) else { return false }
            return c.volumeName.isEmpty && c.selectedNode == nil && state.isLateBinding(c.className)
        }
    }
}
