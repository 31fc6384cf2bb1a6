import KubeAPI

/// Kubernetes' ResourceQuota admission: a new object that would take a namespace past one of its
/// quotas is refused with "exceeded quota: …, requested: …, used: …, limited: …"; otherwise what
/// it uses is added to each quota's `status.used` (a conditional write, so concurrent creates
/// cannot both take the last unit). A pod under a quota on compute resources must name them.
public struct ResourceQuotaAdmission: AdmissionPlugin {
    static let quotas = ResourceCatalog.lookup(group: "", version: "v1", resource: "resourcequotas")!

    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        guard request.operation == .create, request.subresource == nil, let ns = request.namespace,
              request.resource.namespaced, request.resource != Self.quotas else { return }
        let quotas = store.cache.list(WatchFilter(resource: Self.quotas, namespace: ns, labels: nil, fields: nil)).items
        guard !quotas.isEmpty else { return }
        let r = request.resource
        let isPod = r.group.isEmpty && r.resource == "pods"
        for q in quotas {
            let hard = q.json["spec"]?.quantities("hard") ?? [:]
            if isPod {
                let missing = QuotaUsage.missing(pod: object, keys: hard.keys)
                if !missing.isEmpty {
                    throw forbidden(request, "failed quota: \(q.name): must specify \(missing.joined(separator: "; "))")
                }
            }
            let usage = QuotaUsage.usage(of: object, resource: r, keys: hard.keys).filter { !$0.value.isZero }
            guard !usage.isEmpty else { continue }
            let check: (JSON) throws -> JSON = { current in
                var used = current["status"]?.quantities("used") ?? [:]
                for k in hard.keys where used[k] == nil {
                    used[k] = ResourceQuotaController.used(key: k, namespace: ns, cache: store.cache)
                }
                let over = usage.keys.filter { k in (used[k] ?? .zero) + usage[k]! > hard[k]! }
                if !over.isEmpty {
                    func only(_ m: [String: Quantity]) -> [String: Quantity] { m.filter { over.contains($0.key) } }
                    throw forbidden(request, "exceeded quota: \(q.name), requested: \(QuotaUsage.render(only(usage))), used: \(QuotaUsage.render(only(used))), limited: \(QuotaUsage.render(only(hard)))")
                }
                var next = current
                for (k, v) in usage { used[k] = (used[k] ?? .zero) + v }
                next[path: ["status", "hard"]] = current[path: ["spec", "hard"]]
                next[path: ["status", "used"]] = ResourceQuotaController.json(used)
                return next
            }
            if request.dryRun {
                _ = try check(q.json)
            } else {
                _ = try await store.guaranteedUpdate(Self.quotas, namespace: ns, name: q.name, subresource: "status", check)
            }
        }
    }

    func forbidden(_ request: AdmissionRequest, _ message: String) -> StatusError {
        let r = request.resource
        let subject = request.name.isEmpty ? r.qualifiedResource : "\(r.qualifiedResource) \"\(request.name)\""
        return .forbidden("\(subject) is forbidden: \(message)", name: request.name.isEmpty ? nil : request.name,
                          group: r.group, kind: r.resource)
    }
}
