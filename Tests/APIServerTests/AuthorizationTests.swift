import KubeAPI
import Testing
@testable import APIServer

struct PolicyRuleTests {
    static let jane = UserInfo(name: "jane", groups: ["dev", UserInfo.authenticatedGroup])

    static func attrs(_ verb: String, _ resource: String, group: String = "", sub: String = "", ns: String = "default",
                      name: String = "") -> RequestAttributes {
        RequestAttributes(user: jane, verb: verb, apiGroup: group, namespace: ns, resource: resource, subresource: sub, name: name)
    }

    @Test(arguments: [
        // (rule resources, request resource, subresource, matches)
        (["pods"], "pods", "", true),
        (["pods"], "pods", "log", false),
        (["pods/log"], "pods", "log", true),
        (["*"], "pods", "exec", true),
        (["*/status"], "pods", "status", true),
        (["*/status"], "pods", "", false),
        (["configmaps"], "pods", "", false),
    ])
    func resources(rule: [String], resource: String, sub: String, matches: Bool) {
        let r = PolicyRule(verbs: ["get"], apiGroups: [""], resources: rule)
        #expect(r.allows(Self.attrs("get", resource, sub: sub)) == matches)
    }

    @Test func verbsGroupsAndNames() {
        let r = PolicyRule(verbs: ["get", "list"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"])
        #expect(r.allows(Self.attrs("get", "deployments", group: "apps", name: "web")))
        #expect(!r.allows(Self.attrs("get", "deployments", group: "apps", name: "db")))
        #expect(!r.allows(Self.attrs("delete", "deployments", group: "apps", name: "web")))
        #expect(!r.allows(Self.attrs("get", "deployments", group: "", name: "web")))
        #expect(PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]).allows(Self.attrs("deletecollection", "secrets")))
    }

    @Test func nonResourceURLs() {
        let r = PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"])
        func path(_ p: String) -> RequestAttributes { RequestAttributes(user: Self.jane, verb: "get", isResourceRequest: false, path: p) }
        #expect(r.allows(path("/healthz")))
        #expect(r.allows(path("/apis/apps/v1")))
        #expect(!r.allows(path("/metrics")))
        #expect(!r.allows(Self.attrs("get", "pods")))
    }

    @Test func roundTripsThroughJSON() {
        let r = PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"])
        #expect(PolicyRule(json: r.json) == r)
    }
}

struct RBACIndexTests {
    static let view: JSON = ["metadata": ["name": "view"], "rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]]]]
    static let editor: JSON = ["metadata": ["name": "editor", "namespace": "dev"],
                               "rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["create"]]]]

    static func binding(_ name: String, ns: String?, kind: String, role: String, subject: JSON) -> JSON {
        var meta: JSON = ["name": .string(name)]
        if let ns { meta["namespace"] = .string(ns) }
        return ["metadata": meta, "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(kind), "name": .string(role)],
                "subjects": [subject]]
    }

    static let index = RBACIndex(
        roles: [editor], clusterRoles: [view],
        roleBindings: [binding("b1", ns: "dev", kind: "Role", role: "editor", subject: ["kind": "User", "name": "jane"]),
                       binding("b2", ns: "dev", kind: "ClusterRole", role: "view", subject: ["kind": "ServiceAccount", "name": "bot"])],
        clusterRoleBindings: [binding("c1", ns: nil, kind: "ClusterRole", role: "view", subject: ["kind": "Group", "name": "auditors"])])

    static func can(_ user: UserInfo, _ verb: String, ns: String) -> Bool {
        index.allows(RequestAttributes(user: user, verb: verb, namespace: ns, resource: "pods"))
    }

    @Test func roleBindingsApplyInTheirNamespace() {
        let jane = UserInfo(name: "jane", groups: [UserInfo.authenticatedGroup])
        #expect(Self.can(jane, "create", ns: "dev"))
        #expect(!Self.can(jane, "create", ns: "prod"))
        #expect(!Self.can(jane, "get", ns: "dev"))
    }

    @Test func groupsAndServiceAccounts() {
        let auditor = UserInfo(name: "al", groups: ["auditors"])
        #expect(Self.can(auditor, "list", ns: "anywhere"))
        #expect(!Self.can(auditor, "create", ns: "dev"))
        let bot = UserInfo.serviceAccount(namespace: "dev", name: "bot")
        #expect(Self.can(bot, "get", ns: "dev"))
        #expect(!Self.can(UserInfo.serviceAccount(namespace: "prod", name: "bot"), "get", ns: "dev"))
    }

    @Test func rulesForAUser() {
        let jane = UserInfo(name: "jane", groups: ["auditors"])
        #expect(Self.index.rules(for: jane, namespace: "dev").count == 2)
        #expect(Self.index.rules(for: jane, namespace: "prod").count == 1)
    }
}

struct ForbiddenMessageTests {
    static let jane = UserInfo(name: "jane", groups: [])

    @Test func namespacedCollection() {
        let e = RequestAttributes(user: Self.jane, verb: "list", namespace: "y", resource: "pods").forbidden()
        #expect(e.code == 403)
        #expect(e.message == "pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"y\"")
    }

    @Test func namedClusterScopedSubresource() {
        let a = RequestAttributes(user: Self.jane, verb: "update", apiGroup: "", resource: "nodes", subresource: "status", name: "n1")
        #expect(a.forbidden().message == "nodes \"n1\" is forbidden: User \"jane\" cannot update resource \"nodes/status\" in API group \"\" at the cluster scope")
    }

    @Test func groupedResourceAndNonResource() {
        let a = RequestAttributes(user: Self.jane, verb: "create", apiGroup: "rbac.authorization.k8s.io", namespace: "d", resource: "roles")
        #expect(a.forbidden().message.hasPrefix("roles.rbac.authorization.k8s.io is forbidden: User \"jane\" cannot create resource \"roles\" in API group \"rbac.authorization.k8s.io\""))
        let p = RequestAttributes(user: Self.jane, verb: "get", isResourceRequest: false, path: "/metrics")
        #expect(p.forbidden().message == "forbidden: User \"jane\" cannot get path \"/metrics\"")
    }

    @Test func attributesOfRequests() {
        let w = RequestAttributes.of(user: Self.jane, method: .get, path: "/api/v1/namespaces/a/pods", watch: true)
        #expect(w.verb == "watch" && w.namespace == "a" && w.resource == "pods" && w.isResourceRequest)
        let s = RequestAttributes.of(user: Self.jane, method: .patch, path: "/api/v1/namespaces/a/pods/p/status", watch: false)
        #expect(s.verb == "patch" && s.subresource == "status" && s.name == "p")
        let d = RequestAttributes.of(user: Self.jane, method: .delete, path: "/apis/apps/v1/namespaces/a/deployments", watch: false)
        #expect(d.verb == "deletecollection" && d.apiGroup == "apps")
        #expect(!RequestAttributes.of(user: Self.jane, method: .get, path: "/healthz", watch: false).isResourceRequest)
    }

    @Test func mastersPassEveryChain() {
        let chain = AuthorizerChain([])
        #expect(chain.authorize(RequestAttributes(user: .admin, verb: "delete", resource: "nodes")) == .allow)
        #expect(!chain.authorize(RequestAttributes(user: Self.jane, verb: "get", resource: "nodes")).allowed)
    }
}

struct UserInfoTests {
    @Test func nodeAndServiceAccountIdentities() {
        #expect(UserInfo.node("n1").nodeName == "n1")
        #expect(UserInfo(name: "system:node:n1", groups: []).nodeName == nil)
        let sa = UserInfo.serviceAccount(namespace: "ns", name: "bot")
        #expect(sa.name == "system:serviceaccount:ns:bot")
        #expect(sa.serviceAccount?.namespace == "ns" && sa.serviceAccount?.name == "bot")
        #expect(sa.groups.contains("system:serviceaccounts:ns"))
    }
}
