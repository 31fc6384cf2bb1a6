import KubeAPI

/// Kubernetes' PodSecurity admission: a namespace's `pod-security.kubernetes.io/enforce` label
/// refuses pods that break its level; `warn` lets them in with a warning, `audit` with a note in
/// the audit log. `<mode>-version` pins the standards of a Kubernetes version; the configuration
/// gives the policy of unlabelled namespaces and exempts users, namespaces and runtime classes.
/// Invalid labels are refused on the namespace and, if present anyway, evaluate as restricted:latest.
public struct PodSecurity: AdmissionPlugin {
    static let namespaces = ResourceCatalog.lookup(group: "", version: "v1", resource: "namespaces")!
    static let pods = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!
    public static let enforceLabel = "pod-security.kubernetes.io/enforce"
    public static let warnLabel = "pod-security.kubernetes.io/warn"
    public static let auditLabel = "pod-security.kubernetes.io/audit"

    public let configuration: PodSecurityConfiguration

    public init(configuration: PodSecurityConfiguration = PodSecurityConfiguration()) {
        self.configuration = configuration
    }

    /// A namespace's three policies from its labels, over the configured defaults, with the
    /// labels' errors. An invalid level counts as restricted and an invalid version as latest.
    struct NamespacePolicy: Equatable {
        var enforce, audit, warn: PodSecurityConfiguration.Policy
        var errors: [FieldError]
    }

    static func policy(labels: [String: String], defaults: PodSecurityConfiguration) -> NamespacePolicy {
        var errors: [FieldError] = []
        func mode(_ label: String, _ fallback: PodSecurityConfiguration.Policy) -> PodSecurityConfiguration.Policy {
            var p = fallback
            if let value = labels[label] {
                if let level = PodSecurityPolicy.Level(rawValue: value) { p.level = level } else {
                    p.level = .restricted
                    errors.append(.invalid("metadata.labels[\(label)]", .string(value), "must be one of privileged, baseline, restricted"))
                }
            }
            if let value = labels[label + "-version"] {
                if let version = PodSecurityVersion.parse(value) { p.version = version } else {
                    p.version = .latest
                    errors.append(.invalid("metadata.labels[\(label)-version]", .string(value), "must be \"latest\" or \"v1.x\""))
                }
            }
            return p
        }
        let enforce = mode(enforceLabel, defaults.enforce)
        let audit = mode(auditLabel, defaults.audit)
        let warn = mode(warnLabel, defaults.warn)
        return NamespacePolicy(enforce: enforce, audit: audit, warn: warn, errors: errors)
    }

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        if request.resource.group == "", request.resource.resource == "namespaces", request.subresource == nil,
           request.operation != .delete {
            try admitNamespace(request, object: object, store: store)
            return
        }
        guard request.operation == .create, request.isPodSpecWrite, let ns = request.namespace else { return }
        if configuration.exemptUsernames.contains(request.user.name) { return exempt("user") }
        if configuration.exemptNamespaces.contains(ns) { return exempt("namespace") }
        if let rc = object[path: ["spec", "runtimeClassName"]]?.string, configuration.exemptRuntimeClasses.contains(rc) {
            return exempt("runtimeClass")
        }
        let labels = store.cache.get(Self.namespaces.key(namespace: nil, name: ns), resource: Self.namespaces)?.labels ?? [:]
        let policy = Self.policy(labels: labels, defaults: configuration)
        let spec = object["spec"] ?? .null
        let annotations = (object["metadata"] ?? .null).stringMap("annotations")
        func problems(_ p: PodSecurityConfiguration.Policy) -> [String] {
            PodSecurityPolicy.violations(spec, level: p.level, version: p.version, annotations: annotations)
        }
        let refused = problems(policy.enforce)
        if !refused.isEmpty {
            throw request.forbidden("violates PodSecurity \"\(policy.enforce)\": \(refused.joined(separator: ", "))", detailsGroup: false)
        }
        let audited = problems(policy.audit)
        if !audited.isEmpty {
            AdmissionWarnings.current?.annotate("pod-security.kubernetes.io/audit-violations",
                                                "would violate PodSecurity \"\(policy.audit)\": \(audited.joined(separator: ", "))")
        }
        let warned = problems(policy.warn)
        if !warned.isEmpty {
            AdmissionWarnings.current?.add("would violate PodSecurity \"\(policy.warn)\": \(warned.joined(separator: ", "))")
        }
    }

    private func exempt(_ why: String) {
        AdmissionWarnings.current?.annotate("pod-security.kubernetes.io/exempt", why)
    }

    /// Labels must be valid; a stricter enforce policy warns about the pods already there that break it.
    private func admitNamespace(_ request: AdmissionRequest, object: JSON, store: ObjectStore) throws {
        let labels = (object["metadata"] ?? .null).stringMap("labels")
        let policy = Self.policy(labels: labels, defaults: configuration)
        let name = object[path: ["metadata", "name"]]?.string ?? request.name
        if !policy.errors.isEmpty { throw StatusError.invalid(kind: "Namespace", name: name, causes: policy.errors) }
        guard request.operation == .update, let old = request.old, policy.enforce.level != .privileged,
              !configuration.exemptNamespaces.contains(name) else { return }
        let before = Self.policy(labels: (old["metadata"] ?? .null).stringMap("labels"), defaults: configuration)
        guard before.enforce != policy.enforce else { return }
        let pods = store.cache.list(WatchFilter(resource: Self.pods, namespace: name, labels: nil, fields: nil)).items.map(\.json)
        let warnings = Self.existingPodWarnings(pods, namespace: name, policy: policy.enforce)
        for w in warnings { AdmissionWarnings.current?.add(w) }
    }

    /// kube-apiserver's warnings for pods that a new enforce policy would refuse: a headline, then
    /// one line per distinct set of failed checks (`web (and 2 other pods): privileged, …`).
    static func existingPodWarnings(_ pods: [JSON], namespace: String, policy: PodSecurityConfiguration.Policy) -> [String] {
        var groups: [(reasons: String, pods: [String])] = []
        for pod in pods.sorted(by: { ($0[path: ["metadata", "name"]]?.string ?? "") < ($1[path: ["metadata", "name"]]?.string ?? "") }) {
            let annotations = (pod["metadata"] ?? .null).stringMap("annotations")
            let failed = PodSecurityPolicy.violations(pod["spec"] ?? .null, level: policy.level, version: policy.version, annotations: annotations)
            guard !failed.isEmpty else { continue }
            // The check names only, without their details.
            let reasons = failed.map { check in check.range(of: " (").map { String(check[..<$0.lowerBound]) } ?? check }
                .joined(separator: ", ")
            let name = pod[path: ["metadata", "name"]]?.string ?? ""
            if let i = groups.firstIndex(where: { $0.reasons == reasons }) { groups[i].pods.append(name) } else { groups.append((reasons, [name])) }
        }
        guard !groups.isEmpty else { return [] }
        var out = ["existing pods in namespace \"\(namespace)\" violate the new PodSecurity enforce level \"\(policy)\""]
        for g in groups {
            let who = g.pods.count == 1 ? g.pods[0] : "\(g.pods[0]) (and \(g.pods.count - 1) other pod\(g.pods.count == 2 ? "" : "s"))"
            out.append("\(who): \(g.reasons)")
        }
        return out
    }
}
