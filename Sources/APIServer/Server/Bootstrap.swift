import KubeAPI
import Logging

/// What a new cluster has from the start: the four system namespaces.
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
    }
}
