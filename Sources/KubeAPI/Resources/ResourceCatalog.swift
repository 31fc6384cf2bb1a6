/// Every resource Skiff serves.
public enum ResourceCatalog {
    static func sub(_ name: String, _ kind: String, _ verbs: [String], group: String = "", version: String = "v1") -> ResourceInfo.Subresource {
        .init(name: name, group: group, version: version, kind: kind, verbs: verbs)
    }

    static let statusVerbs = ["get", "patch", "update"]

    public static let all: [ResourceInfo] = [
        ResourceInfo(group: "", version: "v1", kind: "Namespace", resource: "namespaces", singular: "namespace",
                     namespaced: false, shortNames: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
                     subresources: [sub("status", "Namespace", statusVerbs), sub("finalize", "Namespace", ["update"])]),
        ResourceInfo(group: "", version: "v1", kind: "Pod", resource: "pods", singular: "pod", namespaced: true,
                     shortNames: ["po"], categories: ["all"],
                     subresources: [
                        sub("status", "Pod", statusVerbs), sub("binding", "Binding", ["create"]),
                        sub("eviction", "Eviction", ["create"], group: "policy"), sub("log", "Pod", ["get"]),
                        sub("exec", "PodExecOptions", ["create", "get"]), sub("attach", "PodAttachOptions", ["create", "get"]),
                        sub("portforward", "PodPortForwardOptions", ["create", "get"]),
                     ]),
        ResourceInfo(group: "", version: "v1", kind: "Binding", resource: "bindings", singular: "binding", namespaced: true,
                     verbs: ["create"]),
        ResourceInfo(group: "", version: "v1", kind: "Node", resource: "nodes", singular: "node", namespaced: false,
                     shortNames: ["no"], subresources: [sub("status", "Node", statusVerbs)]),
        ResourceInfo(group: "", version: "v1", kind: "Event", resource: "events", singular: "event", namespaced: true,
                     shortNames: ["ev"]),
        ResourceInfo(group: "", version: "v1", kind: "ConfigMap", resource: "configmaps", singular: "configmap",
                     namespaced: true, shortNames: ["cm"]),
        ResourceInfo(group: "", version: "v1", kind: "Secret", resource: "secrets", singular: "secret", namespaced: true),
        ResourceInfo(group: "", version: "v1", kind: "ServiceAccount", resource: "serviceaccounts", singular: "serviceaccount",
                     namespaced: true, shortNames: ["sa"],
                     subresources: [sub("token", "TokenRequest", ["create"], group: "authentication.k8s.io")]),
        ResourceInfo(group: "", version: "v1", kind: "LimitRange", resource: "limitranges", singular: "limitrange",
                     namespaced: true, shortNames: ["limits"]),
        ResourceInfo(group: "", version: "v1", kind: "ResourceQuota", resource: "resourcequotas", singular: "resourcequota",
                     namespaced: true, shortNames: ["quota"], subresources: [sub("status", "ResourceQuota", statusVerbs)]),
        ResourceInfo(group: "", version: "v1", kind: "PersistentVolume", resource: "persistentvolumes", singular: "persistentvolume",
                     namespaced: false, shortNames: ["pv"], subresources: [sub("status", "PersistentVolume", statusVerbs)]),
        ResourceInfo(group: "", version: "v1", kind: "PersistentVolumeClaim", resource: "persistentvolumeclaims",
                     singular: "persistentvolumeclaim", namespaced: true, shortNames: ["pvc"],
                     subresources: [sub("status", "PersistentVolumeClaim", statusVerbs)]),
        ResourceInfo(group: "coordination.k8s.io", version: "v1", kind: "Lease", resource: "leases", singular: "lease",
                     namespaced: true),
        ResourceInfo(group: "storage.k8s.io", version: "v1", kind: "StorageClass", resource: "storageclasses",
                     singular: "storageclass", namespaced: false, shortNames: ["sc"]),
        ResourceInfo(group: "storage.k8s.io", version: "v1", kind: "CSINode", resource: "csinodes",
                     singular: "csinode", namespaced: false),
        ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", resource: "roles", singular: "role",
                     namespaced: true),
        ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", resource: "rolebindings",
                     singular: "rolebinding", namespaced: true),
        ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", resource: "clusterroles",
                     singular: "clusterrole", namespaced: false),
        ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", resource: "clusterrolebindings",
                     singular: "clusterrolebinding", namespaced: false),
        ResourceInfo(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", resource: "priorityclasses",
                     singular: "priorityclass", namespaced: false, shortNames: ["pc"]),
        ResourceInfo(group: "certificates.k8s.io", version: "v1", kind: "CertificateSigningRequest",
                     resource: "certificatesigningrequests", singular: "certificatesigningrequest", namespaced: false,
                     shortNames: ["csr"],
                     subresources: [sub("status", "CertificateSigningRequest", statusVerbs, group: "certificates.k8s.io"),
                                    sub("approval", "CertificateSigningRequest", statusVerbs, group: "certificates.k8s.io")]),
        // Reviews are answered, never stored.
        ResourceInfo(group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview",
                     resource: "selfsubjectaccessreviews", singular: "selfsubjectaccessreview", namespaced: false, verbs: ["create"]),
        ResourceInfo(group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview",
                     resource: "subjectaccessreviews", singular: "subjectaccessreview", namespaced: false, verbs: ["create"]),
        ResourceInfo(group: "authorization.k8s.io", version: "v1", kind: "LocalSubjectAccessReview",
                     resource: "localsubjectaccessreviews", singular: "localsubjectaccessreview", namespaced: true, verbs: ["create"]),
        ResourceInfo(group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview",
                     resource: "selfsubjectrulesreviews", singular: "selfsubjectrulesreview", namespaced: false, verbs: ["create"]),
        ResourceInfo(group: "authentication.k8s.io", version: "v1", kind: "TokenReview", resource: "tokenreviews",
                     singular: "tokenreview", namespaced: false, verbs: ["create"]),
        ResourceInfo(group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", resource: "selfsubjectreviews",
                     singular: "selfsubjectreview", namespaced: false, verbs: ["create"]),
    ]

    /// Resources answered by the server itself rather than stored.
    public static func isReview(_ r: ResourceInfo) -> Bool {
        r.group == "authorization.k8s.io" || r.group == "authentication.k8s.io"
    }

    /// Group-versions in discovery order; core first. policy/v1 is served for pods/eviction only.
    public static let groupVersions: [(group: String, version: String)] = [
        ("", "v1"), ("coordination.k8s.io", "v1"), ("storage.k8s.io", "v1"), ("policy", "v1"),
        ("rbac.authorization.k8s.io", "v1"), ("authorization.k8s.io", "v1"), ("authentication.k8s.io", "v1"),
        ("scheduling.k8s.io", "v1"), ("certificates.k8s.io", "v1"),
    ]

    public static func resources(group: String, version: String) -> [ResourceInfo] {
        all.filter { $0.group == group && $0.version == version }
    }

    public static func lookup(group: String, version: String, resource: String) -> ResourceInfo? {
        all.first { $0.group == group && $0.version == version && $0.resource == resource }
    }

    public static func byKind(group: String, kind: String) -> ResourceInfo? {
        all.first { $0.group == group && $0.kind == kind }
    }
}
