import KubeAPI
import Logging
import ServiceLifecycle
import Synchronization

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
    /// What each object counted at its revision, so a recount reads only what changed.
    let memo = UsageMemo()

    /// Admission keeps `status.used` current as objects are created; this pass corrects it for what
    /// goes away (deleted or finished pods), so it need not run often.
    public init(store: ObjectStore, logger: Logger, interval: Duration = .seconds(1)) {
        self.store = store
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        var seen: Int64 = -10
        var again = false
        let watched = ResourceCatalog.all.filter { $0.namespaced && !ResourceCatalog.isReview($0) && $0.resource != "events" }
        while !Task.isCancelled {
            let stamp = store.cache.lastChange(of: watched)
            if stamp != seen || again {
                seen = stamp
                again = await reconcile()
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Answers whether some quota should be looked at again soon.
    func reconcile() async -> Bool {
        var again = false
        let all = store.cache.list(WatchFilter(resource: Self.quotas, namespace: nil, labels: nil, fields: nil)).items
        for q in all {
            let obj = q.json
            let hard = obj["spec"]?.quantities("hard") ?? [:]
            var used = Self.usage(keys: Set(hard.keys), namespace: q.namespace, cache: store.cache, memo: memo,
                                  scopes: QuotaScopes(spec: obj["spec"] ?? .null))
            // Usage only falls once recent admissions have reached the cache.
            let recent = QuotaLedger.shared.chargedRecently(namespace: q.namespace, quota: q.name)
            let recorded = obj["status"]?.quantities("used") ?? [:]
            if recent, used.contains(where: { k, v in recorded[k].map { v < $0 } ?? false }) {
                for (k, v) in recorded where (used[k] ?? .zero) < v { used[k] = v }
                again = true
            }
            let status: JSON = .object(JSONObject([("hard", obj[path: ["spec", "hard"]] ?? .object(JSONObject())), ("used", Self.json(used))]))
            if Self.same(obj["status"], status) { continue }
            let counted = used
            do {
                _ = try await store.guaranteedUpdate(Self.quotas, namespace: q.namespace, name: q.name, subresource: "status") { current in
                    // The cache's copy of the quota may be older than the ledger's last charge:
                    // right after charges, never write less than what is stored now.
                    var final = counted
                    // Asked again here: a charge may have begun since the count was made.
                    if recent || QuotaLedger.shared.chargedRecently(namespace: q.namespace, quota: q.name) {
                        for (k, v) in current["status"]?.quantities("used") ?? [:] where (final[k] ?? .zero) < v { final[k] = v }
                    }
                    var next = current
                    next["status"] = .object(JSONObject([("hard", current[path: ["spec", "hard"]] ?? .object(JSONObject())),
                                                         ("used", Self.json(final))]))
                    return next
                }
            } catch {
                logger.debug("quota status update failed", metadata: ["quota": "\(q.namespace)/\(q.name)", "error": "\(error)"])
            }
        }
        memo.sweep()
        return again
    }

    /// Equal as quantities, whatever their spelling.
    static func same(_ a: JSON?, _ b: JSON) -> Bool {
        guard let a else { return false }
        return a.quantities("hard") == b.quantities("hard")
            && a.quantities("used") == b.quantities("used")
    }

    /// How much of each key the namespace uses now, reading each object of the kinds the keys
    /// measure once.
    static func usage(keys: Set<String>, namespace: String, cache: WatchCache, memo: UsageMemo? = nil,
                      scopes: QuotaScopes) -> [String: Quantity] {
        var byResource: [ResourceInfo: [String]] = [:]
        for k in keys { for r in resources(for: k) { byResource[r, default: []].append(k) } }
        var total: [String: Quantity] = [:]
        for k in keys { total[k] = .zero }
        for (r, ks) in byResource {
            for o in cache.list(WatchFilter(resource: r, namespace: namespace, labels: nil, fields: nil)).items
            where scopes.covers(o.json, resource: r) {
                let counted = memo?.usage(of: o, resource: r, keys: ks) ?? QuotaUsage.usage(of: o.json, resource: r, keys: ks)
                for (k, v) in counted { total[k, default: .zero] += v }
            }
        }
        return total
    }

    /// A quota's recorded usage, with the hard keys it has no figure for yet counted now.
    static func recorded(_ quota: JSON, hard: [String: Quantity], cache: WatchCache) -> [String: Quantity] {
        var used = quota["status"]?.quantities("used") ?? [:]
        let unknown = Set(hard.keys.filter { used[$0] == nil })
        if !unknown.isEmpty {
            let namespace = quota[path: ["metadata", "namespace"]]?.string ?? ""
            used.merge(usage(keys: unknown, namespace: namespace, cache: cache, scopes: QuotaScopes(spec: quota["spec"] ?? .null))) { a, _ in a }
        }
        return used
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

/// Per-object quota usage remembered by revision (and the keys asked for); entries not asked
/// about since the last sweep are dropped.
final class UsageMemo: Sendable {
    private struct Entry { var revision: Int64; var keys: [String]; var usage: [String: Quantity]; var seen: Bool }
    private let entries = Mutex<[String: Entry]>([:])

    func usage(of o: CachedObject, resource: ResourceInfo, keys: [String]) -> [String: Quantity] {
        let sorted = keys.sorted()
        if let hit = entries.withLock({ e -> [String: Quantity]? in
            guard var entry = e[o.key], entry.revision == o.revision, entry.keys == sorted else { return nil }
            entry.seen = true
            e[o.key] = entry
            return entry.usage
        }) { return hit }
        let usage = QuotaUsage.usage(of: o.json, resource: resource, keys: sorted)
        entries.withLock { $0[o.key] = Entry(revision: o.revision, keys: sorted, usage: usage, seen: true) }
        return usage
    }

    func sweep() {
        entries.withLock { e in
            e = e.filter { $0.value.seen }
            for k in e.keys { e[k]?.seen = false }
        }
    }
}
