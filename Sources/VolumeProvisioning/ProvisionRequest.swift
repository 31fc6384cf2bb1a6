import CSI
import KubeAPI

/// The CSI CreateVolume call for a claim of a class, and the PV that records its answer
/// (external-provisioner's controller, re-derived).
public enum ProvisionRequest {
    public static func volumeName(_ claim: JSON) -> String { "pvc-" + (claim[path: ["metadata", "uid"]]?.string ?? "") }

    /// Kubernetes access modes as CSI capabilities (filesystem access).
    static func capabilities(_ modes: [String], fsType: String) -> [Csi_V1_VolumeCapability] {
        modes.map { m in
            .with {
                $0.mount = .with { $0.fsType = fsType }
                $0.accessMode = .with {
                    $0.mode = switch m {
                    case "ReadWriteOncePod": .singleNodeSingleWriter
                    case "ReadOnlyMany": .multiNodeReaderOnly
                    case "ReadWriteMany": .multiNodeMultiWriter
                    default: .singleNodeWriter
                    }
                }
            }
        }
    }

    /// Node labels that are the driver's topology segments: keys `topology.<driver>/…` (the
    /// convention CSI drivers' NodeGetInfo keys follow; the kubelet copies them onto the node).
    static func topology(driver: String, nodeLabels: [String: String]) -> [String: String] {
        nodeLabels.filter { key, _ in
            guard let slash = key.firstIndex(of: "/") else { return false }
            return key[..<slash].hasSuffix(driver)
        }
    }

    public static func create(_ claim: JSON, storageClass: JSON, nodeLabels: [String: String]?) -> Csi_V1_CreateVolumeRequest {
        let driver = storageClass.string("provisioner") ?? ""
        var parameters = storageClass.stringMap("parameters")
        let fsType = parameters.removeValue(forKey: "csi.storage.k8s.io/fstype") ?? ""
        parameters = parameters.filter { !$0.key.hasPrefix("csi.storage.k8s.io/") }
        let modes = claim[path: ["spec", "accessModes"]]?.array?.compactMap(\.string) ?? []
        return .with {
            $0.name = volumeName(claim)
            $0.parameters = parameters
            $0.volumeCapabilities = capabilities(modes, fsType: fsType)
            $0.capacityRange = .with {
                $0.requiredBytes = VolumeMatching.requestedBytes(claim)
                $0.limitBytes = claim[path: ["spec", "resources", "limits", "storage"]].flatMap { try? Quantity(json: $0) }?.value ?? 0
            }
            if let nodeLabels {
                let segments = topology(driver: driver, nodeLabels: nodeLabels)
                if !segments.isEmpty {
                    let t = Csi_V1_Topology.with { $0.segments = segments }
                    $0.accessibilityRequirements = .with {
                        $0.requisite = [t]
                        $0.preferred = [t]
                    }
                }
            }
        }
    }

    /// The PV for a created volume, pre-bound to the claim, its node affinity from the volume's topology.
    public static func persistentVolume(_ claim: JSON, storageClass: JSON, volume: Csi_V1_Volume, fsType: String) -> JSON {
        let driver = storageClass.string("provisioner") ?? ""
        let meta = claim["metadata"] ?? [:]
        let modes = claim[path: ["spec", "accessModes"]] ?? []
        var attributes = JSONObject()
        for (k, v) in volume.volumeContext.sorted(by: { $0.key < $1.key }) { attributes[k] = .string(v) }
        attributes[StorageKeys.provisionerIdentity] = .string(driver)
        var csi = JSONObject([("driver", .string(driver)), ("volumeHandle", .string(volume.volumeID))])
        if !fsType.isEmpty { csi["fsType"] = .string(fsType) }
        csi["volumeAttributes"] = .object(attributes)
        let bytes = volume.capacityBytes > 0 ? volume.capacityBytes : VolumeMatching.requestedBytes(claim)
        var spec = JSONObject([
            ("accessModes", modes),
            ("capacity", .object(JSONObject([("storage", Quantity(bytes, format: .binarySI).json)]))),
            ("claimRef", .object(JSONObject([
                ("kind", "PersistentVolumeClaim"), ("namespace", .string(meta.string("namespace") ?? "default")),
                ("name", .string(meta.string("name") ?? "")), ("uid", .string(meta.string("uid") ?? "")),
                ("apiVersion", "v1"), ("resourceVersion", .string(meta.string("resourceVersion") ?? "")),
            ]))),
            ("csi", .object(csi)),
            ("persistentVolumeReclaimPolicy", .string(storageClass.string("reclaimPolicy") ?? "Delete")),
            ("storageClassName", .string(VolumeMatching.className(claim))),
            ("volumeMode", .string(claim[path: ["spec", "volumeMode"]]?.string ?? "Filesystem")),
        ])
        if let options = storageClass["mountOptions"], options.array?.isEmpty == false { spec["mountOptions"] = options }
        let terms: [JSON] = volume.accessibleTopology.filter { !$0.segments.isEmpty }.map { t in
            .object(JSONObject([("matchExpressions", .array(t.segments.sorted(by: { $0.key < $1.key }).map { k, v in
                .object(JSONObject([("key", .string(k)), ("operator", "In"), ("values", .array([.string(v)]))]))
            }))]))
        }
        if !terms.isEmpty {
            spec["nodeAffinity"] = .object(JSONObject([("required", .object(JSONObject([("nodeSelectorTerms", .array(terms))])))]))
        }
        return .object(JSONObject([
            ("apiVersion", "v1"), ("kind", "PersistentVolume"),
            ("metadata", .object(JSONObject([
                ("name", .string(volumeName(claim))),
                ("annotations", .object(JSONObject([(StorageKeys.provisionedBy, .string(driver))]))),
                ("finalizers", .array([.string(StorageKeys.pvProtection)])),
            ]))),
            ("spec", .object(spec)),
        ]))
    }
}
