import KubeAPI

/// Which pods a ResourceQuota covers: its `spec.scopes` and `spec.scopeSelector` (Kubernetes'
/// Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass and
/// CrossNamespacePodAffinity), all of which must match. A quota with a scope covers pods only.
/// Pure.
public struct QuotaScopes: Sendable, Equatable {
    public struct Requirement: Sendable, Equatable {
        public var scope: String
        public var op: String
        public var values: [String]
    }

    public static let known: Set<String> = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass",
                                            "CrossNamespacePodAffinity"]
    public var requirements: [Requirement]

    public init(spec: JSON) {
        requirements = spec.strings("scopes").map { Requirement(scope: $0, op: "Exists", values: []) }
            + (spec["scopeSelector"] ?? .null).objects("matchExpressions").map {
                Requirement(scope: $0.string("scopeName") ?? "", op: $0.string("operator") ?? "", values: $0.strings("values"))
            }
    }

    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether the quota covers this object.
    public func covers(_ object: JSON, resource: ResourceInfo) -> Bool {
        guard !isEmpty else { return true }
        guard resource.group.isEmpty, resource.resource == "pods" else { return false }
        return requirements.allSatisfy { Self.matches($0, pod: object) }
    }

    static func matches(_ r: Requirement, pod: JSON) -> Bool {
        let spec = pod["spec"] ?? .null
        switch r.scope {
        case "Terminating": return spec["activeDeadlineSeconds"]?.int.map { $0 >= 0 } ?? false
        case "NotTerminating": return spec["activeDeadlineSeconds"]?.int == nil
        case "BestEffort": return QoSClass.of(spec: spec) == .bestEffort
        case "NotBestEffort": return QoSClass.of(spec: spec) != .bestEffort
        case "CrossNamespacePodAffinity": return crossNamespaceAffinity(spec)
        case "PriorityClass":
            let name = spec["priorityClassName"]?.string ?? ""
            switch r.op {
            case "In": return r.values.contains(name)
            case "NotIn": return !r.values.contains(name)
            case "Exists": return !name.isEmpty
            case "DoesNotExist": return name.isEmpty
            default: return false
            }
        default: return false
        }
    }

    /// Pod (anti-)affinity terms that reach into other namespaces.
    static func crossNamespaceAffinity(_ spec: JSON) -> Bool {
        let affinity = spec["affinity"] ?? .null
        for kind in ["podAffinity", "podAntiAffinity"] {
            let a = affinity[kind] ?? .null
            let terms = a.objects("requiredDuringSchedulingIgnoredDuringExecution")
                + a.objects("preferredDuringSchedulingIgnoredDuringExecution").map { $0["podAffinityTerm"] ?? .null }
            if terms.contains(where: { !$0.strings("namespaces").isEmpty || $0["namespaceSelector"]?.object != nil }) { return true }
        }
        return false
    }

    /// Kubernetes' validation of scopes: known names and operators, no contradictory pair, and
    /// a BestEffort quota limits only the pod count.
    public static func validate(_ spec: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        let scopes = QuotaScopes(spec: spec)
        for (i, name) in spec.strings("scopes").enumerated() where !known.contains(name) {
            errors.append(.notSupported("spec.scopes[\(i)]", .string(name), known.sorted()))
        }
        for (i, e) in (spec["scopeSelector"] ?? .null).objects("matchExpressions").enumerated() {
            let path = "spec.scopeSelector.matchExpressions[\(i)]"
            let name = e.string("scopeName") ?? ""
            if !known.contains(name) { errors.append(.notSupported(path + ".scopeName", .string(name), known.sorted())) }
            let op = e.string("operator") ?? ""
            switch op {
            case "In", "NotIn":
                if e.strings("values").isEmpty { errors.append(.required(path + ".values", "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector")) }
                if name != "PriorityClass" { errors.append(.invalid(path + ".operator", .string(op), "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity")) }
            case "Exists", "DoesNotExist":
                if !e.strings("values").isEmpty { errors.append(.invalid(path + ".values", .null, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector")) }
            default:
                errors.append(.notSupported(path + ".operator", .string(op), ["DoesNotExist", "Exists", "In", "NotIn"]))
            }
        }
        let names = Set(scopes.requirements.filter { $0.op == "Exists" }.map(\.scope))
        for (a, b) in [("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating")] where names.contains(a) && names.contains(b) {
            errors.append(.invalid("spec.scopes", .string("\(a), \(b)"), "conflicting scopes"))
        }
        if names.contains("BestEffort") {
            for key in spec.quantities("hard").keys.sorted() where key != "pods" && key != "count/pods" {
                errors.append(.invalid("spec.hard", .string(key), "unsupported scope applied to resource"))
            }
        }
        return errors
    }
}
