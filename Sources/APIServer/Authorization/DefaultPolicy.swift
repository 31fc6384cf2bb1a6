import KubeAPI

/// The cluster roles and bindings every cluster starts with, after Kubernetes' bootstrap policy:
/// cluster-admin for system:masters, the user-facing admin/edit/view, discovery and self-review
/// for every authenticated user, health and version for everyone, and system:node (unbound: the
/// Node authorizer grants kubelets their rights).
public enum DefaultPolicy {
    static let read = ["get", "list", "watch"]
    static let write = ["create", "delete", "deletecollection", "patch", "update"]
    static let all = read + write

    static func rule(_ groups: [String], _ resources: [String], _ verbs: [String]) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: groups, resources: resources)
    }

    static let viewCore = ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                           "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services",
                           "services/status", "bindings", "events", "limitranges", "namespaces/status", "pods/log",
                           "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]
    static let viewOther: [(String, [String])] = [
        ("apps", ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                  "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
                  "statefulsets/scale", "statefulsets/status"]),
        ("batch", ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
        ("policy", ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        ("discovery.k8s.io", ["endpointslices"]),
        ("networking.k8s.io", ["ingresses", "ingresses/status", "networkpolicies"]),
    ]

    static var viewRules: [PolicyRule] {
        [rule([""], viewCore, read), rule([""], ["namespaces"], read)] + viewOther.map { rule([$0.0], $0.1, read) }
    }

    static var editRules: [PolicyRule] {
        [
            rule([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], read),
            rule([""], ["serviceaccounts"], ["impersonate"]),
            rule([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], write),
            rule([""], ["pods/eviction"], ["create"]),
            rule([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
                        "secrets", "serviceaccounts", "services", "services/proxy"], write),
            rule([""], ["serviceaccounts/token"], ["create"]),
            rule(["coordination.k8s.io"], ["leases"], all),
        ] + viewOther.map { rule([$0.0], $0.1.filter { !$0.hasSuffix("/status") }, write) } + viewRules
    }

    static var adminRules: [PolicyRule] {
        [
            rule(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
            rule(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], all),
        ] + editRules
    }

    static let discoveryURLs = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*",
                                "/readyz", "/version", "/version/"]
    static let publicInfoURLs = ["/healthz", "/livez", "/readyz", "/version", "/version/"]

    static var nodeRules: [PolicyRule] {
        [
            rule([""], ["nodes"], read + ["create", "delete", "patch", "update"]), rule([""], ["nodes/status"], ["patch", "update"]),
            rule([""], ["pods"], read + ["delete"]), rule([""], ["pods/status"], ["patch", "update"]),
            rule([""], ["events"], ["create", "patch", "update"]), rule(["events.k8s.io"], ["events"], ["create", "patch", "update"]),
            rule([""], ["configmaps", "secrets", "persistentvolumeclaims", "persistentvolumes"], ["get"]),
            rule([""], ["serviceaccounts/token"], ["create"]), rule([""], ["services", "endpoints"], read),
            rule(["coordination.k8s.io"], ["leases"], ["create", "delete", "get", "patch", "update"]),
            rule(["storage.k8s.io"], ["storageclasses", "csinodes", "csidrivers", "volumeattachments"], read),
            rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "subjectaccessreviews"], ["create"]),
        ]
    }

    static func clusterRole(_ name: String, _ rules: [PolicyRule], aggregateTo: [String] = []) -> JSON {
        var labels = JSONObject([("kubernetes.io/bootstrapping", "rbac-defaults")])
        for a in aggregateTo { labels["rbac.authorization.k8s.io/aggregate-to-\(a)"] = "true" }
        return .object(JSONObject([
            ("metadata", .object(JSONObject([("name", .string(name)), ("labels", .object(labels)),
                                             ("annotations", ["rbac.authorization.kubernetes.io/autoupdate": "true"])]))),
            ("rules", .array(rules.map(\.json))),
        ]))
    }

    static func binding(_ name: String, role: String, groups: [String]) -> JSON {
        .object(JSONObject([
            ("metadata", .object(JSONObject([("name", .string(name)), ("labels", ["kubernetes.io/bootstrapping": "rbac-defaults"]),
                                             ("annotations", ["rbac.authorization.kubernetes.io/autoupdate": "true"])]))),
            ("roleRef", .object(JSONObject([("apiGroup", "rbac.authorization.k8s.io"), ("kind", "ClusterRole"), ("name", .string(role))]))),
            ("subjects", .array(groups.map { .object(JSONObject([("apiGroup", "rbac.authorization.k8s.io"), ("kind", "Group"), ("name", .string($0))])) })),
        ]))
    }

    public static var clusterRoles: [JSON] {
        [
            clusterRole("cluster-admin", [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
                                          PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])]),
            clusterRole("admin", adminRules),
            clusterRole("edit", editRules, aggregateTo: ["admin"]),
            clusterRole("view", viewRules, aggregateTo: ["edit"]),
            clusterRole("system:basic-user", [rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
                                              rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"])]),
            clusterRole("system:discovery", [PolicyRule(verbs: ["get"], nonResourceURLs: discoveryURLs)]),
            clusterRole("system:public-info-viewer", [PolicyRule(verbs: ["get"], nonResourceURLs: publicInfoURLs)]),
            clusterRole("system:node", nodeRules),
        ]
    }

    public static var clusterRoleBindings: [JSON] {
        [
            binding("cluster-admin", role: "cluster-admin", groups: [UserInfo.mastersGroup]),
            binding("system:basic-user", role: "system:basic-user", groups: [UserInfo.authenticatedGroup]),
            binding("system:discovery", role: "system:discovery", groups: [UserInfo.authenticatedGroup]),
            binding("system:public-info-viewer", role: "system:public-info-viewer",
                    groups: [UserInfo.authenticatedGroup, "system:unauthenticated"]),
        ]
    }
}
