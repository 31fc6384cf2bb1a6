import KubeAPI

/// The discovery documents: /version, aggregated v2 (and v2beta1) discovery at /api and /apis,
/// and the legacy per-group-version resource lists kubectl still reads.
public enum Discovery {
    public static let aggregatedContentTypeV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    public static let aggregatedContentTypeV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"

    public static let version: JSON = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.4-skiff", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2026-12-01T00:00:00Z", "goVersion": "swift6.3", "compiler": "swift",
        "platform": "linux/amd64",
    ]

    static func kindRef(_ g: String, _ v: String, _ k: String) -> JSON { ["group": .string(g), "version": .string(v), "kind": .string(k)] }

    static func resourceEntry(_ r: ResourceInfo) -> JSON {
        var o = JSONObject()
        o["resource"] = .string(r.resource)
        o["responseKind"] = kindRef(r.group, r.version, r.kind)
        o["scope"] = r.namespaced ? "Namespaced" : "Cluster"
        o["singularResource"] = .string(r.singular)
        o["verbs"] = .array(r.verbs.map { .string($0) })
        if !r.shortNames.isEmpty { o["shortNames"] = .array(r.shortNames.map { .string($0) }) }
        if !r.categories.isEmpty { o["categories"] = .array(r.categories.map { .string($0) }) }
        if !r.subresources.isEmpty {
            o["subresources"] = .array(r.subresources.map { s in
                ["subresource": .string(s.name), "responseKind": kindRef(s.group, s.version, s.kind),
                 "verbs": .array(s.verbs.map { .string($0) })]
            })
        }
        return .object(o)
    }

    /// Aggregated discovery for `/api` (legacy: core only) or `/apis` (every named group).
    public static func aggregated(legacy: Bool, v2beta1: Bool = false) -> JSON {
        let gvs = ResourceCatalog.groupVersions.filter { legacy ? $0.group.isEmpty : !$0.group.isEmpty }
        var groups: [String] = []
        for gv in gvs where !groups.contains(gv.group) { groups.append(gv.group) }
        let items: [JSON] = groups.map { g in
            let versions: [JSON] = gvs.filter { $0.group == g }.map { gv in
                ["version": .string(gv.version), "freshness": "Current",
                 "resources": .array(ResourceCatalog.resources(group: g, version: gv.version).map(resourceEntry))]
            }
            return ["metadata": ["name": .string(g)], "versions": .array(versions)]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": .string(v2beta1 ? "apidiscovery.k8s.io/v2beta1" : "apidiscovery.k8s.io/v2"),
                "metadata": .object(JSONObject()), "items": .array(items)]
    }

    public static func apiVersions(serverAddress: String) -> JSON {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    static func groupEntry(_ g: String) -> JSON {
        let versions: [JSON] = ResourceCatalog.groupVersions.filter { $0.group == g }.map {
            ["groupVersion": .string("\(g)/\($0.version)"), "version": .string($0.version)]
        }
        return ["name": .string(g), "versions": .array(versions), "preferredVersion": versions.first ?? .null]
    }

    public static func apiGroupList() -> JSON {
        var groups: [String] = []
        for gv in ResourceCatalog.groupVersions where !gv.group.isEmpty && !groups.contains(gv.group) { groups.append(gv.group) }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map(groupEntry))]
    }

    public static func apiGroup(_ g: String) -> JSON? {
        guard ResourceCatalog.groupVersions.contains(where: { $0.group == g }), !g.isEmpty else { return nil }
        var e = groupEntry(g)
        e["kind"] = "APIGroup"
        e["apiVersion"] = "v1"
        return e
    }

    /// The legacy APIResourceList of one group-version, subresources as `pods/log` entries.
    public static func resourceList(group: String, version: String) -> JSON? {
        guard ResourceCatalog.groupVersions.contains(where: { $0.group == group && $0.version == version }) else { return nil }
        var out: [JSON] = []
        for r in ResourceCatalog.resources(group: group, version: version) {
            var o = JSONObject()
            o["name"] = .string(r.resource)
            o["singularName"] = .string(r.singular)
            o["namespaced"] = .bool(r.namespaced)
            o["kind"] = .string(r.kind)
            o["verbs"] = .array(r.verbs.map { .string($0) })
            if !r.shortNames.isEmpty { o["shortNames"] = .array(r.shortNames.map { .string($0) }) }
            if !r.categories.isEmpty { o["categories"] = .array(r.categories.map { .string($0) }) }
            out.append(.object(o))
            for s in r.subresources {
                var so = JSONObject()
                so["name"] = .string("\(r.resource)/\(s.name)")
                so["singularName"] = ""
                so["namespaced"] = .bool(r.namespaced)
                if s.group != r.group { so["group"] = .string(s.group) }
                if s.version != r.version || s.group != r.group { so["version"] = .string(s.version) }
                so["kind"] = .string(s.kind)
                so["verbs"] = .array(s.verbs.map { .string($0) })
                out.append(.object(so))
            }
        }
        let gv = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(gv), "resources": .array(out)]
    }
}
