import KubeAPI

/// Kubernetes' PodSecurity admission: a namespace's `pod-security.kubernetes.io/enforce` label
/// refuses pods that break its level; `warn` lets them in with a warning, `audit` with a note in
/// the audit log.
public struct PodSecurity: AdmissionPlugin {
    static let namespaces = ResourceCatalog.lookup(group: "", version: "v1", resource: "namespaces")!
    public static let enforceLabel = "pod-security.kubernetes.io/enforce"
    public static let warnLabel = "pod-security.kubernetes.io/warn"
    public static let auditLabel = "pod-security.kubernetes.io/audit"

    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        guard request.operation == .create, request.isPodSpecWrite, let ns = request.namespace,
              let namespace = store.cache.get(Self.namespaces.key(namespace: nil, name: ns), resource: Self.namespaces) else { return }
        let labels = namespace.labels
        let spec = object["spec"] ?? .null
        func level(_ label: String) -> (PodSecurityPolicy.Level, String)? {
            guard let value = labels[label], let l = PodSecurityPolicy.Level(rawValue: value) else { return nil }
            return (l, labels[label + "-version"] ?? "latest")
        }
        if let (l, version) = level(Self.enforceLabel) {
            let problems = PodSecurityPolicy.violations(spec, level: l)
            if !problems.isEmpty {
                let subject = request.name.isEmpty ? "pods" : "pods \"\(request.name)\""
                throw StatusError.forbidden("\(subject) is forbidden: violates PodSecurity \"\(l.rawValue):\(version)\": \(problems.joined(separator: ", "))",
                                            name: request.name.isEmpty ? nil : request.name, kind: "pods")
            }
        }
        if let (l, version) = level(Self.auditLabel) {
            let problems = PodSecurityPolicy.violations(spec, level: l)
            if !problems.isEmpty {
                AdmissionWarnings.current?.annotate("pod-security.kubernetes.io/audit-violations",
                                                    "would violate PodSecurity \"\(l.rawValue):\(version)\": \(problems.joined(separator: ", "))")
            }
        }
        if let (l, version) = level(Self.warnLabel) {
            let problems = PodSecurityPolicy.violations(spec, level: l)
            if !problems.isEmpty {
                AdmissionWarnings.current?.add("would violate PodSecurity \"\(l.rawValue):\(version)\": \(problems.joined(separator: ", "))")
            }
        }
    }
}
