import KubeAPI
import Testing
import VolumeProvisioning

/// Who provisions and deletes what: the central provisioner and node-local ones.
struct ProvisioningScopeTests {
    static let key = "topology.hostpath.csi.skiff.dev/node"
    static let server = ProvisioningScope.central(node: "server", topology: [key: "server"])
    static let everywhere = ProvisioningScope.central()
    static let agent = ProvisioningScope.node("agent", topology: [key: "agent"])

    static func volume(on node: String?) -> JSON {
        var spec: JSON = ["persistentVolumeReclaimPolicy": "Delete"]
        if let node {
            spec["nodeAffinity"] = ["required": ["nodeSelectorTerms": [["matchExpressions": [
                ["key": .string(key), "operator": "In", "values": [.string(node)]],
            ]]]]]
        }
        return ["metadata": ["name": "pvc-1"], "spec": spec]
    }

    @Test(arguments: [
        // scope, late binding, selected node, provisions
        (server, false, nil as String?, true),
        (server, true, "server", true),
        (server, true, "agent", false),
        (server, true, nil, false),
        (everywhere, true, "agent", true),
        (everywhere, false, nil, true),
        (agent, false, nil, false),
        (agent, true, "agent", true),
        (agent, true, "server", false),
        (agent, true, nil, false),
    ])
    func provisions(_ scope: ProvisioningScope, _ late: Bool, _ selected: String?, _ expected: Bool) {
        #expect(scope.provisions(lateBinding: late, selectedNode: selected) == expected)
    }

    @Test(arguments: [
        // scope, the volume's node (nil: no affinity), reclaims
        (server, "server" as String?, true),
        (server, "agent", false),
        (server, nil, true),
        (everywhere, "agent", true),
        (agent, "agent", true),
        (agent, "server", false),
        (agent, nil, false),
    ])
    func reclaims(_ scope: ProvisioningScope, _ node: String?, _ expected: Bool) {
        #expect(scope.reclaims(Self.volume(on: node)) == expected)
    }
}
