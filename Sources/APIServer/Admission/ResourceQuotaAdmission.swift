import KubeAPI

/// Kubernetes' ResourceQuota admission: a new object that would take a namespace past one of its
/// quotas is refused with "exceeded quota: …, requested: …, used: …, limited: …"; otherwise what
/// it uses is added to each quota's `status.used` (conditional writes, batched per quota by the
/// ledger, so concurrent creates cannot both take the last unit). A pod under a quota on compute
/// resources must name them.
public struct ResourceQuotaAdmission: AdmissionPlugin {
    static let quotas = ResourceCatalog.lookup(group: "", version: "v1", resource: "resourcequotas")!

    let ledger = QuotaLedger.shared

    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        guard request.operation == .create, request.subresource == nil, let ns = request.namespace,
              request.resource.namespaced, request.resource != Self.quotas else { return }
        // A quota or range created a moment ago through this server must already count.
        _ = await store.cache.wait(for: store.lastAcknowledged(Self.quotas), timeout: .seconds(2))
        let quotas = store.cache.list(WatchFilter(resource: Self.quotas, namespace: ns, labels: nil, fields: nil)).items
        guard !quotas.isEmpty else { return }
        let r = request.resource
        let isPod = r.group.isEmpty && r.resource == "pods"
        for q in quotas where QuotaScopes(spec: q.json["spec"] ?? .null).covers(object, resource: r) {
            let hard = q.json["spec"]?.quantities("hard") ?? [:]
            if isPod {
                let missing = QuotaUsage.missing(pod: object, keys: hard.keys)
                if !missing.isEmpty {
                    throw request.forbidden("failed quota: \(q.name): must specify \(missing.joined(separator: "; "))")
                }
            }
            let usage = QuotaUsage.usage(of: object, resource: r, keys: hard.keys).filter { !$0.value.isZero }
            guard !usage.isEmpty else { continue }
            let name = q.name
            let refuse: @Sendable ([String: Quantity], [String: Quantity], [String]) -> StatusError = { used, hard, over in
                func only(_ m: [String: Quantity]) -> [String: Quantity] { m.filter { over.contains($0.key) } }
                return request.forbidden("exceeded quota: \(name), requested: \(QuotaUsage.render(only(usage))), used: \(QuotaUsage.render(only(used))), limited: \(QuotaUsage.render(only(hard)))")
            }
            if request.dryRun {
                let used = ResourceQuotaController.recorded(q.json, hard: hard, cache: store.cache)
                let over = QuotaUsage.exceeded(usage, used: used, hard: hard)
                if !over.isEmpty { throw refuse(used, hard, over) }
            } else {
                try await ledger.charge(namespace: ns, quota: name, usage: usage, store: store, refuse: refuse)
            }
        }
    }
}
