import KubeAPI

/// One rule of a Role or ClusterRole, and whether it covers a request (upstream's RBAC rule matching).
public struct PolicyRule: Sendable, Equatable {
    public var verbs: [String]
    public var apiGroups: [String]
    public var resources: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]

    public init(verbs: [String], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [],
                nonResourceURLs: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    public init(json: JSON) {
        self.init(verbs: json.strings("verbs"), apiGroups: json.strings("apiGroups"), resources: json.strings("resources"),
                  resourceNames: json.strings("resourceNames"), nonResourceURLs: json.strings("nonResourceURLs"))
    }

    public var json: JSON {
        var o = JSONObject()
        func put(_ k: String, _ v: [String]) { if !v.isEmpty { o[k] = .array(v.map { .string($0) }) } }
        put("verbs", verbs)
        if !nonResourceURLs.isEmpty {
            put("nonResourceURLs", nonResourceURLs)
        } else {
            o["apiGroups"] = .array(apiGroups.map { .string($0) })
            put("resources", resources)
            put("resourceNames", resourceNames)
        }
        return .object(o)
    }

    public func allows(_ a: RequestAttributes) -> Bool {
        guard verbs.contains("*") || verbs.contains(a.verb) else { return false }
        if !a.isResourceRequest {
            return nonResourceURLs.contains { u in
                u == "*" || u == a.path || (u.hasSuffix("*") && a.path.hasPrefix(u.dropLast()))
            }
        }
        guard apiGroups.contains("*") || apiGroups.contains(a.apiGroup) else { return false }
        guard resourceMatches(a) else { return false }
        return resourceNames.isEmpty || resourceNames.contains(a.name)
    }

    private func resourceMatches(_ a: RequestAttributes) -> Bool {
        let combined = a.subresource.isEmpty ? a.resource : a.resource + "/" + a.subresource
        for r in resources {
            if r == "*" || r == combined { return true }
            if !a.subresource.isEmpty, r.hasPrefix("*/"), r.dropFirst(2) == a.subresource { return true }
        }
        return false
    }
}
