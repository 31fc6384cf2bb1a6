import KubeAPI
import Logging

/// What a new cluster has from the start: the four system namespaces and the default RBAC policy.
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
        try await ensure(DefaultPolicy.clusterRoles, resource: "clusterroles", store: store, logger: logger)
        try await ensure(DefaultPolicy.clusterRoleBindings, resource: "clusterrolebindings", store: store, logger: logger)
    }

    /// Creates each object that does not exist yet; what an administrator changed stays.
    static func ensure(_ objects: [JSON], resource: String, store: ObjectStore, logger: Logger) async throws {
        let r = ResourceCatalog.lookup(group: "rbac.authorization.k8s.io", version: "v1", resource: resource)!
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
