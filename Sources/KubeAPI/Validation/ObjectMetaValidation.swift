/// `ValidateObjectMeta`: names, namespace, labels, annotations, finalizers.
public enum ObjectMetaValidation {
    public enum NameRule: Sendable {
        case subdomain, label, pathSegment

        /// Messages for a name; a generateName prefix may end in '-', as Kubernetes masks it.
        func check(_ name: String, prefix: Bool) -> [String] {
            var n = name
            if prefix, n.count > 1, n.hasSuffix("-") { n = String(n.dropLast()) + "a" }
            switch self {
            case .subdomain: return NameRules.isDNS1123Subdomain(n)
            case .label: return NameRules.isDNS1123Label(n)
            case .pathSegment:
                if n == "." || n == ".." { return ["may not be '\(n)'"] }
                for bad in ["/", "%"] where n.contains(bad) { return ["may not contain '\(bad)'"] }
                return []
            }
        }
    }

    public static let totalAnnotationSizeLimit = 256 * 1024

    public static func validate(meta: JSON?, namespaced: Bool, nameRule: NameRule) -> [FieldError] {
        let path = FieldPath("metadata")
        let meta = meta ?? .object(JSONObject())
        var errs: [FieldError] = []
        let generateName = meta["generateName"]?.string ?? ""
        if !generateName.isEmpty {
            for m in nameRule.check(generateName, prefix: true) {
                errs.append(.invalid(path.child("generateName").description, .string(generateName), m))
            }
        }
        let name = meta["name"]?.string ?? ""
        if name.isEmpty {
            if generateName.isEmpty { errs.append(.required(path.child("name").description, "name or generateName is required")) }
        } else {
            for m in nameRule.check(name, prefix: false) {
                errs.append(.invalid(path.child("name").description, .string(name), m))
            }
        }
        let namespace = meta["namespace"]?.string ?? ""
        if namespaced {
            if namespace.isEmpty {
                errs.append(.required(path.child("namespace").description))
            } else {
                for m in NameRules.isDNS1123Label(namespace) {
                    errs.append(.invalid(path.child("namespace").description, .string(namespace), m))
                }
            }
        } else if !namespace.isEmpty {
            errs.append(.forbidden(path.child("namespace").description, "not allowed on this type"))
        }
        if let g = meta["generation"]?.int, g < 0 { errs.append(.nonNegative(path.child("generation").description, g)) }
        errs += validateLabels(meta["labels"], path: path.child("labels").description)
        errs += validateAnnotations(meta["annotations"], path: path.child("annotations").description)
        for (i, f) in (meta["finalizers"]?.array ?? []).enumerated() {
            let s = f.string ?? ""
            for m in NameRules.isQualifiedName(s) {
                errs.append(.invalid(path.child("finalizers").index(i).description, .string(s), m))
            }
        }
        return errs
    }

    /// `ValidateLabels`: keys are qualified names, values label values; the path is the map's.
    public static func validateLabels(_ labels: JSON?, path: String) -> [FieldError] {
        var errs: [FieldError] = []
        for (k, v) in labels?.object ?? JSONObject() {
            for m in NameRules.isQualifiedName(k) { errs.append(.invalid(path, .string(k), m)) }
            let value = v.string ?? ""
            for m in NameRules.isValidLabelValue(value) { errs.append(.invalid(path, .string(value), m)) }
        }
        return errs
    }

    /// `ValidateAnnotations`: lower-cased keys are qualified names; keys and values together
    /// stay within 256 KiB.
    public static func validateAnnotations(_ annotations: JSON?, path: String) -> [FieldError] {
        var errs: [FieldError] = []
        var total = 0
        for (k, v) in annotations?.object ?? JSONObject() {
            for m in NameRules.isQualifiedName(k.lowercased()) { errs.append(.invalid(path, .string(k), m)) }
            total += k.utf8.count + (v.string?.utf8.count ?? 0)
        }
        if total > totalAnnotationSizeLimit { errs.append(.tooLong(path, totalAnnotationSizeLimit)) }
        return errs
    }
}
