import KubeAPI

/// Validation of metadata shared by every kind.
enum MetaRules {
    /// Which name syntax each resource requires.
    static func nameRule(_ r: ResourceInfo) -> (String) -> [String] {
        switch r.resource {
        case "namespaces": return NameRules.isDNS1123Label
        case "events": return { n in n.isEmpty || n.contains("/") || n == "." || n == ".." ? ["may not contain '/'"] : [] }
        default: return NameRules.isDNS1123Subdomain
        }
    }

    static func validate(_ obj: JSON, resource r: ResourceInfo) -> [FieldError] {
        var errs: [FieldError] = []
        let meta = obj["metadata"]
        let name = meta?["name"]?.string ?? ""
        if name.isEmpty {
            errs.append(.required("metadata.name", "name or generateName is required"))
        } else {
            for m in nameRule(r)(name) { errs.append(.invalid("metadata.name", .string(name), m)) }
        }
        if r.namespaced {
            let ns = meta?["namespace"]?.string ?? ""
            if ns.isEmpty { errs.append(.required("metadata.namespace")) }
        }
        for (k, v) in meta?["labels"]?.object ?? JSONObject() {
            for m in NameRules.isQualifiedName(k) { errs.append(.invalid("metadata.labels", .string(k), m)) }
            guard let s = v.string else {
                errs.append(.invalid("metadata.labels", v, "label values must be strings"))
                continue
            }
            for m in NameRules.isValidLabelValue(s) { errs.append(.invalid("metadata.labels", .string(s), m)) }
        }
        var annotationBytes = 0
        for (k, v) in meta?["annotations"]?.object ?? JSONObject() {
            for m in NameRules.isQualifiedName(k.lowercased()) { errs.append(.invalid("metadata.annotations", .string(k), m)) }
            annotationBytes += k.utf8.count + (v.string?.utf8.count ?? 0)
        }
        if annotationBytes > 256 * 1024 { errs.append(.tooLong("metadata.annotations", 256 * 1024)) }
        for (i, f) in (meta?["finalizers"]?.array ?? []).enumerated() {
            let s = f.string ?? ""
            if !s.contains("/") && s != "kubernetes" && !s.hasPrefix("kubernetes.io") {
                // Kubernetes accepts well-known short names; others must be domain-qualified.
                if !["orphan", "foregroundDeletion"].contains(s) {
                    errs.append(.invalid("metadata.finalizers[\(i)]", f, "name is neither a standard finalizer name nor is it fully qualified"))
                }
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
}
