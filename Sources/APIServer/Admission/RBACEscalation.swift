import KubeAPI

/// RBAC's escalation check: a user may write a Role or ClusterRole only with rules they already
/// hold (or the `escalate` verb), and may bind a role only when they hold its rules (or the
/// `bind` verb on it), so no one grants more than they have. Masters are exempt.
public struct RBACEscalation: AdmissionPlugin {
    let authorizer: any Authorizer
    static let group = "rbac.authorization.k8s.io"

    public init(authorizer: any Authorizer) { self.authorizer = authorizer }

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        let r = request.resource
        guard r.group == Self.group, request.operation != .delete, request.subresource == nil, !request.user.isMaster else { return }
        let ns = request.namespace ?? ""
        let name = object[path: ["metadata", "name"]]?.string ?? request.name
        switch r.resource {
        case "roles", "clusterroles":
            if allowed(request.user, "escalate", r.resource, ns, name) { return }
            try requireHeld((object["rules"]?.array ?? []).map(PolicyRule.init(json:)), request, namespace: ns, name: name)
        case "rolebindings", "clusterrolebindings":
            let kind = object[path: ["roleRef", "kind"]]?.string ?? ""
            let role = object[path: ["roleRef", "name"]]?.string ?? ""
            let roleResource = kind == "ClusterRole" ? "clusterroles" : "roles"
            if allowed(request.user, "bind", roleResource, kind == "ClusterRole" ? "" : ns, role) { return }
            if kind == "ClusterRole" && allowed(request.user, "bind", roleResource, ns, role) { return }
            let roleInfo = ResourceCatalog.lookup(group: Self.group, version: "v1", resource: roleResource)!
            let key = roleInfo.key(namespace: kind == "ClusterRole" ? nil : ns, name: role)
            try requireHeld((store.cache.get(key, resource: roleInfo)?.json["rules"]?.array ?? []).map(PolicyRule.init(json:)),
                            request, namespace: ns, name: name)
        default:
            return
        }
    }

    /// 403 unless the user holds every rule.
    func requireHeld(_ rules: [PolicyRule], _ request: AdmissionRequest, namespace: String, name: String) throws {
        guard let missing = rules.lazy.compactMap({ uncovered($0, user: request.user, namespace: namespace) }).first else { return }
        let r = request.resource
        throw StatusError.forbidden("\(r.qualifiedResource) \"\(name)\" is forbidden: user \"\(request.user.name)\" is attempting to grant RBAC permissions not currently held: \(missing)",
                                    name: name, group: r.group, kind: r.resource)
    }

    func allowed(_ user: UserInfo, _ verb: String, _ resource: String, _ ns: String, _ name: String) -> Bool {
        authorizer.authorize(RequestAttributes(user: user, verb: verb, apiGroup: Self.group, namespace: ns,
                                               resource: resource, name: name)).allowed
    }

    /// The first part of `rule` the user does not hold, rendered as upstream lists it; nil when covered.
    func uncovered(_ rule: PolicyRule, user: UserInfo, namespace: String) -> String? {
        if !rule.nonResourceURLs.isEmpty {
            for url in rule.nonResourceURLs {
                for verb in rule.verbs where !authorizer.authorize(RequestAttributes(user: user, verb: verb, isResourceRequest: false, path: url)).allowed {
                    return "{NonResourceURLs:[\"\(url)\"], Verbs:[\"\(verb)\"]}"
                }
            }
            return nil
        }
        let names = rule.resourceNames.isEmpty ? [""] : rule.resourceNames
        for group in rule.apiGroups {
            for resource in rule.resources {
                let parts = resource.split(separator: "/", maxSplits: 1).map(String.init)
                for name in names {
                    for verb in rule.verbs {
                        let a = RequestAttributes(user: user, verb: verb, apiGroup: group, namespace: namespace, resource: parts[0],
                                                  subresource: parts.count > 1 ? parts[1] : "", name: name)
                        if !authorizer.authorize(a).allowed {
                            let names = name.isEmpty ? "" : " ResourceNames:[\"\(name)\"],"
                            return "{APIGroups:[\"\(group)\"], Resources:[\"\(resource)\"],\(names) Verbs:[\"\(verb)\"]}"
                        }
                    }
                }
            }
        }
        return nil
    }
}
