import KubeAPI

/// Kubernetes' LimitRanger admission: LimitRange items get their implied defaults; new pods get
/// default requests and limits filled in (noted in the `kubernetes.io/limit-ranger` annotation)
/// and are refused, like claims, when they break a min, max or ratio.
public struct LimitRanger: AdmissionPlugin {
    static let limitRanges = ResourceCatalog.lookup(group: "", version: "v1", resource: "limitranges")!
    public static let annotation = "kubernetes.io/limit-ranger"

    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        let r = request.resource
        guard request.subresource == nil, r.group.isEmpty, let ns = request.namespace else { return }
        if r.resource == "limitranges", request.operation != .delete {
            if let limits = object[path: ["spec", "limits"]]?.array {
                object[path: ["spec", "limits"]] = .array(limits.map(LimitRangePolicy.defaulted))
            }
            return
        }
        guard request.operation == .create, r.resource == "pods" || r.resource == "persistentvolumeclaims" else { return }
        // A quota or range created a moment ago through this server must already count.
        _ = await store.cache.wait(for: store.lastAcknowledged(Self.limitRanges), timeout: .seconds(2))
        let ranges = store.cache.list(WatchFilter(resource: Self.limitRanges, namespace: ns, labels: nil, fields: nil)).items.map(\.json)
        guard !ranges.isEmpty else { return }
        let problems: [String]
        if r.resource == "pods" {
            if let note = LimitRangePolicy.applyDefaults(&object, ranges: ranges) {
                object[path: ["metadata", "annotations", Self.annotation]] = .string(note)
            }
            problems = LimitRangePolicy.violations(pod: object, ranges: ranges)
        } else {
            problems = LimitRangePolicy.violations(claim: object, ranges: ranges)
        }
        guard !problems.isEmpty else { return }
        let text = problems.count == 1 ? problems[0] : "[" + problems.joined(separator: ", ") + "]"
        let subject = request.name.isEmpty ? r.resource : "\(r.resource) \"\(request.name)\""
        throw StatusError.forbidden("\(subject) is forbidden: \(text)", name: request.name.isEmpty ? nil : request.name, kind: r.resource)
    }
}
