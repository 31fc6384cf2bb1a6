import KubeAPI

/// The cluster's RBAC objects arranged for answering: which rules apply to a user in a namespace.
/// Pure; built from Role, ClusterRole, RoleBinding and ClusterRoleBinding objects.
public struct RBACIndex: Sendable {
    struct Subject: Sendable, Hashable {
        var kind: String
        var name: String
        var namespace: String
    }

    struct Binding: Sendable {
        var subjects: [Subject]
        /// "ClusterRole/name" or "Role/name"
        var roleKind: String
        var roleName: String
        var namespace: String
        var name: String
    }

    var clusterRoles: [String: [PolicyRule]] = [:]
    /// namespace → name → rules
    var roles: [String: [String: [PolicyRule]]] = [:]
    var clusterBindings: [Binding] = []
    /// namespace → bindings
    var roleBindings: [String: [Binding]] = [:]

    public init(roles: [JSON], clusterRoles: [JSON], roleBindings: [JSON], clusterRoleBindings: [JSON]) {
        for r in clusterRoles {
            self.clusterRoles[r[path: ["metadata", "name"]]?.string ?? ""] = (r["rules"]?.array ?? []).map(PolicyRule.init(json:))
        }
        for r in roles {
            let ns = r[path: ["metadata", "namespace"]]?.string ?? ""
            self.roles[ns, default: [:]][r[path: ["metadata", "name"]]?.string ?? ""] = (r["rules"]?.array ?? []).map(PolicyRule.init(json:))
        }
        for b in clusterRoleBindings { self.clusterBindings.append(Self.binding(b)) }
        for b in roleBindings {
            let binding = Self.binding(b)
            self.roleBindings[binding.namespace, default: []].append(binding)
        }
    }

    static func binding(_ b: JSON) -> Binding {
        let ns = b[path: ["metadata", "namespace"]]?.string ?? ""
        let subjects = (b["subjects"]?.array ?? []).map {
            Subject(kind: $0["kind"]?.string ?? "", name: $0["name"]?.string ?? "", namespace: $0["namespace"]?.string ?? "")
        }
        return Binding(subjects: subjects, roleKind: b[path: ["roleRef", "kind"]]?.string ?? "",
                       roleName: b[path: ["roleRef", "name"]]?.string ?? "", namespace: ns,
                       name: b[path: ["metadata", "name"]]?.string ?? "")
    }

    static func applies(_ s: Subject, to user: UserInfo, bindingNamespace: String) -> Bool {
        switch s.kind {
        case "User": return s.name == user.name
        case "Group": return user.groups.contains(s.name)
        case "ServiceAccount":
            guard let sa = user.serviceAccount else { return false }
            let ns = s.namespace.isEmpty ? bindingNamespace : s.namespace
            return sa.name == s.name && sa.namespace == ns
        default: return false
        }
    }

    /// Whether some binding that applies to the request's user grants a rule that covers it.
    public func allows(_ a: RequestAttributes) -> Bool {
        for b in clusterBindings where b.subjects.contains(where: { Self.applies($0, to: a.user, bindingNamespace: "") }) {
            if b.roleKind == "ClusterRole", (clusterRoles[b.roleName] ?? []).contains(where: { $0.allows(a) }) { return true }
        }
        guard a.isResourceRequest, !a.namespace.isEmpty else { return false }
        for b in roleBindings[a.namespace] ?? [] where b.subjects.contains(where: { Self.applies($0, to: a.user, bindingNamespace: b.namespace) }) {
            let rules = b.roleKind == "ClusterRole" ? clusterRoles[b.roleName] : roles[b.namespace]?[b.roleName]
            if (rules ?? []).contains(where: { $0.allows(a) }) { return true }
        }
        return false
    }

    /// Every rule that applies to `user` in `namespace` (cluster-wide bindings included), for
    /// SelfSubjectRulesReview.
    public func rules(for user: UserInfo, namespace: String) -> [PolicyRule] {
        var out: [PolicyRule] = []
        for b in clusterBindings where b.subjects.contains(where: { Self.applies($0, to: user, bindingNamespace: "") }) {
            if b.roleKind == "ClusterRole" { out += clusterRoles[b.roleName] ?? [] }
        }
        for b in roleBindings[namespace] ?? [] where b.subjects.contains(where: { Self.applies($0, to: user, bindingNamespace: b.namespace) }) {
            out += (b.roleKind == "ClusterRole" ? clusterRoles[b.roleName] : roles[b.namespace]?[b.roleName]) ?? []
        }
        return out
    }
}
