/// Defaults of the other kinds Skiff serves (pkg/apis/core/v1/defaults.go and the registry
/// strategies' PrepareForCreate).
public enum NamespaceDefaults {
    public static func apply(to ns: inout JSON) {
        guard ns.object != nil else { return }
        // Every namespace carries its own name as a label, so selectors can pick namespaces.
        if let name = ns[path: ["metadata", "name"]]?.string {
            ns[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
        }
        if ns[path: ["spec", "finalizers"]] == nil { ns[path: ["spec", "finalizers"]] = ["kubernetes"] }
        if ns[path: ["status", "phase"]] == nil { ns[path: ["status", "phase"]] = "Active" }
    }
}

public enum SecretDefaults {
    public static func apply(to secret: inout JSON) {
        guard secret.object != nil else { return }
        PodDefaults.setIfAbsent(&secret, "type", "Opaque")
    }
}

public enum PersistentVolumeClaimDefaults {
    public static func apply(to pvc: inout JSON) {
        guard pvc.object != nil else { return }
        if pvc[path: ["spec", "volumeMode"]] == nil { pvc[path: ["spec", "volumeMode"]] = "Filesystem" }
        if pvc[path: ["status", "phase"]] == nil { pvc[path: ["status", "phase"]] = "Pending" }
    }
}

public enum PersistentVolumeDefaults {
    public static func apply(to pv: inout JSON) {
        guard pv.object != nil else { return }
        if pv[path: ["spec", "persistentVolumeReclaimPolicy"]] == nil {
            pv[path: ["spec", "persistentVolumeReclaimPolicy"]] = "Retain"
        }
        if pv[path: ["spec", "volumeMode"]] == nil { pv[path: ["spec", "volumeMode"]] = "Filesystem" }
        if pv[path: ["status", "phase"]] == nil { pv[path: ["status", "phase"]] = "Pending" }
    }
}
