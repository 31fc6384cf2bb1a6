import KubeAPI

/// Kubernetes' StorageObjectInUseProtection admission: every new claim carries the
/// `kubernetes.io/pvc-protection` finalizer and every new volume `kubernetes.io/pv-protection`,
/// so neither disappears while in use; the PV controller removes them when nothing uses it.
public struct StorageObjectInUseProtection: AdmissionPlugin {
    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        let op = request.operation, resource = request.resource
        guard op == .create, resource.group == "" else { return }
        let finalizer: String
        switch resource.resource {
        case "persistentvolumeclaims": finalizer = "kubernetes.io/pvc-protection"
        case "persistentvolumes": finalizer = "kubernetes.io/pv-protection"
        default: return
        }
        var finalizers = object[path: ["metadata", "finalizers"]]?.array ?? []
        guard !finalizers.contains(.string(finalizer)) else { return }
        finalizers.append(.string(finalizer))
        object[path: ["metadata", "finalizers"]] = .array(finalizers)
    }
}
