import KubeAPI
import VolumeProvisioning

/// What this node's provisioner (external-provisioner's node deployment, run by the kubelet)
/// does about a claim one of its pods uses, or about a volume: pure decisions on what the
/// watches and the registered drivers show.
enum NodeProvisioningDecision {
    /// The driver to provision `claim` with, if it is this node's to provision: unbound and not
    /// being deleted, of a late-binding class whose provisioner is a driver registered here,
    /// selected for this node by the scheduler (or, without that annotation, used by a pod
    /// bound here), with no volume made for it yet and no Available one the PV controller would
    /// bind to it instead.
    static func provisioner(for claim: JSON, storageClass: JSON?, consumerNode: String?, node: String,
                            drivers: [String: [String: String]], volumes: [JSON]) -> String? {
        let meta = claim["metadata"] ?? [:]
        if let d = meta["deletionTimestamp"], !d.isNull { return nil }
        guard (claim[path: ["spec", "volumeName"]]?.string ?? "").isEmpty, let storageClass,
              storageClass["volumeBindingMode"]?.string == "WaitForFirstConsumer",
              let driver = storageClass.string("provisioner"), let topology = drivers[driver] else { return nil }
        let selected = meta.stringMap("annotations")[StorageKeys.selectedNode] ?? consumerNode
        guard ProvisioningScope.node(node, topology: topology).provisions(lateBinding: true, selectedNode: selected) else { return nil }
        let uid = meta.string("uid") ?? ""
        let name = ProvisionRequest.volumeName(claim)
        let made = volumes.contains {
            $0[path: ["metadata", "name"]]?.string == name || (!uid.isEmpty && $0[path: ["spec", "claimRef", "uid"]]?.string == uid)
        }
        guard !made, VolumeMatching.best(for: claim, among: volumes) == nil else { return nil }
        return driver
    }

    /// A released volume this node deletes: reclaim policy Delete, provisioned by a driver
    /// registered here, its node affinity naming this node's topology for that driver, and not
    /// already on its way out (a PV is deleted only after its storage is).
    static func deletion(of pv: JSON, node: String, drivers: [String: [String: String]]) -> (driver: String, handle: String)? {
        if let d = pv[path: ["metadata", "deletionTimestamp"]], !d.isNull { return nil }
        guard pv[path: ["status", "phase"]]?.string == "Released",
              pv[path: ["spec", "persistentVolumeReclaimPolicy"]]?.string == "Delete",
              let driver = pv[path: ["metadata", "annotations", StorageKeys.provisionedBy]]?.string,
              pv[path: ["spec", "csi", "driver"]]?.string == driver, let topology = drivers[driver],
              let handle = pv[path: ["spec", "csi", "volumeHandle"]]?.string, !handle.isEmpty else { return nil }
        return ProvisioningScope.node(node, topology: topology).reclaims(pv) ? (driver, handle) : nil
    }

    /// The claims a pod uses, unless it is finished.
    static func claims(of pod: JSON) -> [String] {
        guard !["Succeeded", "Failed"].contains(pod[path: ["status", "phase"]]?.string ?? "") else { return [] }
        return (pod[path: ["spec", "volumes"]]?.array ?? []).compactMap { $0[path: ["persistentVolumeClaim", "claimName"]]?.string }
    }
}
