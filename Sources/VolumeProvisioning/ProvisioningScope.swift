import KubeAPI

/// Which claims a provisioner creates volumes for and which volumes it deletes, as
/// external-provisioner splits the work between its central deployment and its node deployment:
/// node-local storage (a host-path volume) can only be made and removed by the driver on its
/// node. A central provisioner (the PV controller) of storage every node reaches takes every
/// claim; one whose driver is node-local takes Immediate claims, and late-binding ones only
/// for the node its driver sits on. A node's provisioner (its kubelet) takes the late-binding
/// claims whose selected node is itself. A volume is deleted by the provisioner whose driver's
/// topology its node affinity names (the central one for a volume without any).
public struct ProvisioningScope: Sendable, Equatable {
    /// The node the provisioner's driver serves (nil: a central one's driver serves every node).
    public var node: String?
    /// That driver's topology segments (NodeGetInfo's accessible_topology).
    public var topology: [String: String]
    /// Whether Immediate claims (and volumes without node affinity) are this provisioner's.
    public var central: Bool

    public init(node: String?, topology: [String: String], central: Bool) {
        self.node = node
        self.topology = topology
        self.central = central
    }

    /// The PV controller: every claim, or with a node-local driver Immediate claims and the
    /// late-binding ones of `node` (its driver's node, of `topology`).
    public static func central(node: String? = nil, topology: [String: String] = [:]) -> ProvisioningScope {
        ProvisioningScope(node: node, topology: topology, central: true)
    }

    /// One node's provisioner (node-deployment mode).
    public static func node(_ name: String, topology: [String: String]) -> ProvisioningScope {
        ProvisioningScope(node: name, topology: topology, central: false)
    }

    /// Whether a claim is this provisioner's to provision: `selectedNode` is the scheduler's
    /// choice for a late-binding claim (nil for an Immediate one).
    public func provisions(lateBinding: Bool, selectedNode: String?) -> Bool {
        guard lateBinding else { return central }
        guard let node else { return central }
        return selectedNode == node
    }

    /// Whether a released volume's storage is this provisioner's to delete.
    public func reclaims(_ pv: JSON) -> Bool {
        guard let terms = NodeSelectorTerm.required(ofVolume: pv), !terms.isEmpty else { return central }
        guard let node else { return central }
        return terms.contains { $0.matches(name: node, labels: topology) }
    }
}
