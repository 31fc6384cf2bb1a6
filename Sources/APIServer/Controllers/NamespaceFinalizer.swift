import KubeAPI
import Logging
import ServiceLifecycle

/// Empties namespaces being deleted, then removes them: the work of the `kubernetes` finalizer.
/// Pods are deleted gracefully, so a namespace with pods on a node goes once their kubelet has
/// confirmed they stopped.
public struct NamespaceFinalizer: Service {
    let store: ObjectStore
    let logger: Logger
    let interval: Duration

    public init(store: ObjectStore, logger: Logger, interval: Duration = .milliseconds(500)) {
        self.store = store
        self.logger = logger
        self.interval = interval
    }

    static let namespaces = ResourceCatalog.lookup(group: "", version: "v1", resource: "namespaces")!

    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            let terminating = store.cache.list(WatchFilter(resource: Self.namespaces, namespace: nil, labels: nil, fields: nil))
                .items.filter { $0.fields["status.phase"] == "Terminating" }
            for ns in terminating {
                do { try await finalize(ns.name) } catch {
                    logger.warning("namespace cleanup failed", metadata: ["namespace": "\(ns.name)", "error": "\(error)"])
                }
            }
        }
    }

    func finalize(_ ns: String) async throws {
        var remaining = 0
        for r in ResourceCatalog.all where r.namespaced && r.verbs.contains("delete") {
            let items = store.cache.list(WatchFilter(resource: r, namespace: ns, labels: nil, fields: nil)).items
            for o in items {
                remaining += 1
                if o.json[path: ["metadata", "deletionTimestamp"]] != nil { continue }
                _ = try? await store.delete(r, namespace: ns, name: o.name, options: DeleteOptions())
            }
        }
        guard remaining == 0 else { return }
        let nsObj = try await store.guaranteedUpdate(Self.namespaces, namespace: nil, name: ns, subresource: "finalize") { old in
            var new = old
            let fins = (old[path: ["spec", "finalizers"]]?.array ?? []).filter { $0.string != "kubernetes" }
            new[path: ["spec", "finalizers"]] = fins.isEmpty ? nil : .array(fins)
            return new
        }
        let specFins = nsObj[path: ["spec", "finalizers"]]?.array ?? []
        let metaFins = nsObj[path: ["metadata", "finalizers"]]?.array ?? []
        if specFins.isEmpty && metaFins.isEmpty {
            _ = try? await store.backend.delete(Self.namespaces.key(namespace: nil, name: ns), expectedModRevision: nil)
            logger.info("namespace deleted", metadata: ["namespace": "\(ns)"])
        }
    }
}
