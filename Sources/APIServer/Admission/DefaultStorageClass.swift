import KubeAPI

/// Kubernetes' DefaultStorageClass admission: a new claim that names no class (the field absent,
/// not "") gets the default StorageClass, the one annotated
/// `storageclass.kubernetes.io/is-default-class: "true"` (the newest, if several are).
public struct DefaultStorageClass: AdmissionPlugin {
    public static let annotation = "storageclass.kubernetes.io/is-default-class"
    static let betaAnnotation = "storageclass.beta.kubernetes.io/is-default-class"

    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        let op = request.operation, resource = request.resource
        guard op == .create, resource.group == "", resource.resource == "persistentvolumeclaims",
              object[path: ["spec", "storageClassName"]] == nil || object[path: ["spec", "storageClassName"]]?.isNull == true,
              object[path: ["metadata", "annotations", "volume.beta.kubernetes.io/storage-class"]] == nil,
              let classes = ResourceCatalog.lookup(group: "storage.k8s.io", version: "v1", resource: "storageclasses") else { return }
        let all = store.cache.list(WatchFilter(resource: classes, namespace: nil, labels: nil, fields: nil)).items
            .compactMap { try? store.decodeStored($0.bytes) }
        let defaults = all.filter { c in
            let a = (c["metadata"] ?? [:]).stringMap("annotations")
            return a[Self.annotation] == "true" || a[Self.betaAnnotation] == "true"
        }
        guard let chosen = defaults.max(by: {
            ($0[path: ["metadata", "creationTimestamp"]]?.string ?? "", $0[path: ["metadata", "name"]]?.string ?? "")
                < ($1[path: ["metadata", "creationTimestamp"]]?.string ?? "", $1[path: ["metadata", "name"]]?.string ?? "")
        }), let name = chosen[path: ["metadata", "name"]]?.string else { return }
        object[path: ["spec", "storageClassName"]] = .string(name)
    }
}
