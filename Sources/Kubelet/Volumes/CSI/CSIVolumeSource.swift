import CSI
import KubeAPI

/// What the kubelet needs to mount one CSI volume of a pod, from a PV's `spec.csi` or an inline
/// `volumes[].csi` (csi_mounter upstream).
struct CSIVolumeSource: Sendable, Equatable {
    var driver: String
    var volumeHandle: String
    var readOnly: Bool
    var fsType: String
    var attributes: [String: String]
    var accessMode: Csi_V1_VolumeCapability.AccessMode.Mode
    /// PV name for a claim's volume, the pod's volume name for an inline one: the directory the
    /// pod's mount lives in.
    var specName: String
    var ephemeral: Bool

    /// From a bound PV (`readOnly` is the pod's claim reference's).
    init?(pv: JSON, claimReadOnly: Bool) {
        guard let csi = pv[path: ["spec", "csi"]], csi.object != nil else { return nil }
        driver = csi.string("driver") ?? ""
        volumeHandle = csi.string("volumeHandle") ?? ""
        readOnly = claimReadOnly || csi.bool("readOnly")
        fsType = csi.string("fsType") ?? ""
        attributes = csi.stringMap("volumeAttributes")
        let modes = pv[path: ["spec", "accessModes"]]?.array?.compactMap(\.string) ?? []
        accessMode = Self.mode(modes)
        specName = pv[path: ["metadata", "name"]]?.string ?? ""
        ephemeral = false
    }

    /// From an inline volume: the driver creates it for this pod and removes it with the pod.
    init?(inline volume: JSON, podUID: String, podName: String, namespace: String, serviceAccount: String) {
        guard let csi = volume["csi"], csi.object != nil, let name = volume.string("name") else { return nil }
        driver = csi.string("driver") ?? ""
        volumeHandle = "csi-" + StableID.hex(podUID + name)
        readOnly = csi.bool("readOnly")
        fsType = csi.string("fsType") ?? ""
        attributes = csi.stringMap("volumeAttributes")
        attributes["csi.storage.k8s.io/ephemeral"] = "true"
        attributes["csi.storage.k8s.io/pod.name"] = podName
        attributes["csi.storage.k8s.io/pod.namespace"] = namespace
        attributes["csi.storage.k8s.io/pod.uid"] = podUID
        attributes["csi.storage.k8s.io/serviceAccount.name"] = serviceAccount
        accessMode = .singleNodeWriter
        specName = name
        ephemeral = true
    }

    /// Kubernetes access modes to the CSI mode a node mount asks for (the most capable one).
    static func mode(_ modes: [String]) -> Csi_V1_VolumeCapability.AccessMode.Mode {
        if modes.contains("ReadWriteMany") { return .multiNodeMultiWriter }
        if modes.contains("ReadWriteOncePod") { return .singleNodeSingleWriter }
        if modes.contains("ReadWriteOnce") { return .singleNodeWriter }
        if modes.contains("ReadOnlyMany") { return .multiNodeReaderOnly }
        return .singleNodeWriter
    }

    var capability: Csi_V1_VolumeCapability {
        .with {
            $0.mount = .with { $0.fsType = fsType }
            $0.accessMode = .with { $0.mode = accessMode }
        }
    }

}
