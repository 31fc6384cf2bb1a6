import KubeAPI
import Testing
@testable import Kubelet

/// The node-local provisioner's decisions: which claims of its pods it provisions, which
/// released volumes it deletes.
struct NodeProvisioningDecisionTests {
    static let driver = "hostpath.csi.skiff.dev"
    static let key = "topology.hostpath.csi.skiff.dev/node"
    static let drivers = [driver: [key: "agent"]]

    static func claim(selected: String? = "agent", volumeName: String? = nil, deleting: Bool = false) -> JSON {
        var meta: JSON = ["name": "data", "namespace": "default", "uid": "u1"]
        if let selected { meta["annotations"] = ["volume.kubernetes.io/selected-node": .string(selected)] }
        if deleting { meta["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        var spec: JSON = ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]], "storageClassName": "local"]
        if let volumeName { spec["volumeName"] = .string(volumeName) }
        return ["metadata": meta, "spec": spec]
    }

    static func storageClass(mode: String = "WaitForFirstConsumer", provisioner: String = driver) -> JSON {
        ["metadata": ["name": "local"], "provisioner": .string(provisioner), "volumeBindingMode": .string(mode)]
    }

    static func volume(_ name: String = "pvc-u1", node: String = "agent", phase: String = "Released", policy: String = "Delete",
                       claimUID: String = "u0", deleting: Bool = false, driver: String = driver) -> JSON {
        var meta: JSON = ["name": .string(name), "annotations": ["pv.kubernetes.io/provisioned-by": .string(driver)]]
        if deleting { meta["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        return ["metadata": meta,
                "spec": ["persistentVolumeReclaimPolicy": .string(policy), "storageClassName": "local",
                         "accessModes": ["ReadWriteOnce"], "capacity": ["storage": "1Gi"],
                         "claimRef": ["name": "old", "namespace": "default", "uid": .string(claimUID)],
                         "csi": ["driver": .string(driver), "volumeHandle": "vol-1"],
                         "nodeAffinity": ["required": ["nodeSelectorTerms": [["matchExpressions": [
                             ["key": .string(key), "operator": "In", "values": [.string(node)]]]]]]]],
                "status": ["phase": .string(phase)]]
    }

    static let available: JSON = ["metadata": ["name": "static"],
                                  "spec": ["storageClassName": "local", "accessModes": ["ReadWriteOnce"], "capacity": ["storage": "5Gi"]],
                                  "status": ["phase": "Available"]]

    @Test(arguments: [
        // claim, class, the node of the pod using it, volumes, provisions
        ("selected here", claim(), storageClass(), "agent", [JSON](), true),
        ("selected elsewhere", claim(selected: "server"), storageClass(), "agent", [], false),
        ("pod bound here, no annotation", claim(selected: nil), storageClass(), "agent", [], true),
        ("already bound", claim(volumeName: "pvc-u1"), storageClass(), "agent", [], false),
        ("being deleted", claim(deleting: true), storageClass(), "agent", [], false),
        ("immediate class", claim(), storageClass(mode: "Immediate"), "agent", [], false),
        ("driver not here", claim(), storageClass(provisioner: "other.csi"), "agent", [], false),
        ("PV already made", claim(), storageClass(), "agent", [volume("pvc-u1", phase: "Bound", claimUID: "u1")], false),
        ("a static PV will bind", claim(), storageClass(), "agent", [available], false),
    ] as [(String, JSON, JSON, String, [JSON], Bool)])
    func provisions(_ what: String, _ claim: JSON, _ cls: JSON, _ consumer: String, _ volumes: [JSON], _ expected: Bool) {
        let driver = NodeProvisioningDecision.provisioner(for: claim, storageClass: cls, consumerNode: consumer, node: "agent",
                                                          drivers: Self.drivers, volumes: volumes)
        #expect((driver == Self.driver) == expected, "\(what)")
        #expect(driver == nil || driver == Self.driver)
    }

    @Test(arguments: [
        ("released here", volume(), true),
        ("another node's", volume(node: "server"), false),
        ("still bound", volume(phase: "Bound"), false),
        ("retained", volume(policy: "Retain"), false),
        ("already deleted", volume(deleting: true), false),
        ("another driver's", volume(driver: "other.csi"), false),
    ] as [(String, JSON, Bool)])
    func deletes(_ what: String, _ pv: JSON, _ expected: Bool) {
        let d = NodeProvisioningDecision.deletion(of: pv, node: "agent", drivers: Self.drivers)
        #expect((d != nil) == expected, "\(what)")
        if let d { #expect(d.driver == Self.driver && d.handle == "vol-1") }
    }

    @Test func claimsOfUnfinishedPodsOnly() {
        let pod: JSON = ["spec": ["volumes": [["name": "a", "persistentVolumeClaim": ["claimName": "data"]], ["name": "b", "emptyDir": [:]]]],
                         "status": ["phase": "Pending"]]
        #expect(NodeProvisioningDecision.claims(of: pod) == ["data"])
        var done = pod
        done[path: ["status", "phase"]] = "Succeeded"
        #expect(NodeProvisioningDecision.claims(of: done).isEmpty)
    }
}
