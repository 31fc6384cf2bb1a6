import KubeAPI
import Logging
import ServiceLifecycle

/// Keeps each ResourceQuota's `status.hard` and `status.used` true to what its namespace holds
/// (Kubernetes' resource-quota controller), recomputed whenever a counted kind changes, so usage
/// falls again when pods finish or objects go.
public struct ResourceQuotaController: Service {
    let store: ObjectStore
    let logger: Logger
    let interval: Duration
    static let quotas = ResourceCatalog.lookup(group: "", version: "v1", resource: "resourcequotas")!
    static let pods = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!
    static let claims = ResourceCatalog.lookup(group: "", version: "v1", resource: "persistentvolumeclaims")!

    public init(store: ObjectStore, logger: Logger, interval: Duration = .milliseconds(500)) {
        self.store = store
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        var seen: Int64 = -10
        let watched = ResourceCatalog.all.filter { $0.namespaced && !ResourceCatalog.isReview($0) && $0.resource != "events" }
        while !Task.isCancelled {
            let stamp = store.cache.lastChange(of: watched)
            if stamp != seen {
                seen = stamp
                await reconcile()
            }
            try? await Task.sleep(for: interval)
        }
    }

    func reconcile() async {
        let all = store.cache.list(WatchFilter(resource: Self.quotas, namespace: nil, labels: nil, fields: nil)).items
        for q in all {
            let obj = q.json
            let hard = obj["spec"]?.quantities("hard") ?? [:]
            var used: [String: Quantity] = [:]
            for k in hard.keys { used[k] = Self.used(key: k, namespace: q.namespace, cache: store.cache) }
            let status: JSON = .object(JSONObject([("hard", obj[path: ["spec", "hard"]] ?? .object(JSONObject())), ("used", Self.json(used))]))
            if Self.same(obj["status"], status) { continue }
            do {
                _ = try await store.guaranteedUpdate(Self.quotas, namespace: q.namespace, name: q.name, subresource: "status") { current in
                    var next = current
                    next["status"] = status
                    return next
                }
            } catch {
                logger.debug("quota status update failed", metadata: ["quota": "\(q.namespace)/\(q.name)", "error": "\(error)"])
            }
        }
    }

    /// Equal as quantities, whatever their spelling.
    static func same(_ a: JSON?, _ b: JSON) -> Bool {
        guard let a else { return false }
        return a.quantities("hard") == b.quantities("hard")
            && a.quantities("used") == b.quantities("used")
    }

    /// How much of `key` the namespace uses now, counted over the kinds that key measures.
    static func used(key: String, namespace: String, cache: WatchCache) -> Quantity {
        var total = Quantity.zero
        for r in resources(for: key) {
            for o in cache.list(WatchFilter(resource: r, namespace: namespace, labels: nil, fields: nil)).items {
                total += QuotaUsage.usage(of: o.json, resource: r, keys: [key])[key] ?? .zero
            }
        }
        return total
    }

    static func resources(for key: String) -> [ResourceInfo] {
        if QuotaUsage.computeKeys[key] != nil { return [pods] }
        if key == "requests.storage" || key.hasSuffix(".storageclass.storage.k8s.io/requests.storage")
            || key.hasSuffix(".storageclass.storage.k8s.io/persistentvolumeclaims") { return [claims] }
        var name = key
        if name.hasPrefix("count/") { name = String(name.dropFirst(6)) }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let group = parts.count == 2 ? parts[1] : ""
        return ResourceCatalog.all.filter { $0.resource == parts.first && $0.group == group && $0.namespaced }
    }

    static func json(_ amounts: [String: Quantity]) -> JSON {
        .object(JSONObject(amounts.keys.sorted().map { ($0, .string(amounts[$0]!.canonicalString)) }))
    }
}
