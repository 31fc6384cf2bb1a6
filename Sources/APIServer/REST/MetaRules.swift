import KubeAPI

/// Validation every kind shares: metadata, and the required fields the schema names.
enum MetaRules {
    static func nameRule(_ r: ResourceInfo) -> ObjectMetaValidation.NameRule {
        switch r.resource {
        case "namespaces": return .label
        case "events", "roles", "clusterroles", "rolebindings", "clusterrolebindings": return .pathSegment
        default: return .subdomain
        }
    }

    static func validate(_ obj: JSON, resource r: ResourceInfo) -> [FieldError] {
        var errs = ObjectMetaValidation.validate(meta: obj["metadata"], namespaced: r.namespaced, nameRule: nameRule(r))
        if let def = r.definition {
            // Status is reported by components, and Kubernetes does not hold it to the schema's required lists.
            for e in SchemaValidation.check(obj, definition: def, schema: .shared).typeErrors
            where e.kind != .typeInvalid && !(e.kind == .required && e.field.hasPrefix("status.")) {
                errs.append(e)
            }
        }
        return errs
    }

    static func validateUpdate(_ new: JSON, old: JSON, resource r: ResourceInfo) -> [FieldError] {
        var errs = validate(new, resource: r)
        if new[path: ["metadata", "namespace"]] != old[path: ["metadata", "namespace"]] {
            errs.append(.invalid("metadata.namespace", new[path: ["metadata", "namespace"]] ?? .null, "field is immutable"))
        }
        return errs
    }

    /// Every distinct error once, in order.
    static func unique(_ errs: [FieldError]) -> [FieldError] {
        var seen: [FieldError] = []
        for e in errs where !seen.contains(e) { seen.append(e) }
        return seen
    }
}
