import KubeAPI
import Logging

/// What a new cluster has from the start: the four system namespaces, the default RBAC policy
/// and the two system PriorityClasses.
enum Bootstrap {
    static let namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    static func ensureDefaults(store: ObjectStore, logger: Logger) async throws {
        let r = ResourceCatalog.lookup(group: "", version: "v1", resource: "namespaces")!
        for ns in namespaces {
            if try await store.backend.get(r.key(namespace: nil, name: ns)) != nil { continue }
            do {
                _ = try await store.create(r, namespace: nil, object: ["metadata": ["name": .string(ns)]], options: RequestOptions())
                logger.info("created namespace", metadata: ["namespace": "\(ns)"])
            } catch let e as StatusError where e.code == 409 {
                continue
            }
        }
        let rbac = "rbac.authorization.k8s.io"
        try await ensure(DefaultPolicy.clusterRoles, ResourceCatalog.lookup(group: rbac, version: "v1", resource: "clusterroles")!, store: store)
        try await ensure(DefaultPolicy.clusterRoleBindings, ResourceCatalog.lookup(group: rbac, version: "v1", resource: "clusterrolebindings")!,
                         store: store)
        try await ensure(PriorityClasses.systemObjects, PriorityAdmission.classes, store: store)
    }

    /// Creates each object that does not exist yet; what an administrator changed stays.
    static func ensure(_ objects: [JSON], _ r: ResourceInfo, store: ObjectStore) async throws {
        for o in objects {
            let name = o[path: ["metadata", "name"]]?.string ?? ""
            if try await store.backend.get(r.key(namespace: nil, name: name)) != nil { continue }
            do {
                _ = try await store.create(r, namespace: nil, object: o, options: RequestOptions())
            } catch let e as StatusError where e.code == 409 {
                continue
            }
        }
    }
}
