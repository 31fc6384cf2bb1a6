import Foundation
import HTTPTypes
import KubeAPI
import X509

extension APIHandler {
    static let publicPaths: Set<String> = ["/version", "/version/", "/healthz", "/livez", "/readyz"]
    static let impersonateUser = HTTPField.Name("Impersonate-User")!
    static let impersonateGroup = HTTPField.Name("Impersonate-Group")!
    static let impersonateUID = HTTPField.Name("Impersonate-Uid")!

    /// Who the request is from: authenticated, then (with Impersonate-* headers) the user they may act as.
    /// Requests without credentials are anonymous, which only the public health and version paths accept.
    /// Answers the user the request acts as and, when it impersonates, who really sent it.
    func identify(_ headers: HTTPFields, path: String, certificate: Certificate?) throws -> (user: UserInfo, impersonator: UserInfo?) {
        guard let user = try authenticator.authenticate(authorization: headers[.authorization], certificate: certificate) else {
            if Self.publicPaths.contains(path) { return (.anonymous, nil) }
            throw StatusError.unauthorized
        }
        guard let target = headers[Self.impersonateUser] else {
            if headers[Self.impersonateGroup] != nil {
                throw StatusError.badRequest("requested [Impersonate-Group] without impersonating a user")
            }
            return (user, nil)
        }
        return (try impersonate(target, groups: headers[values: Self.impersonateGroup], uid: headers[Self.impersonateUID], by: user), user)
    }

    /// Each impersonated attribute needs the `impersonate` verb on it (users, groups, serviceaccounts, uids).
    func impersonate(_ name: String, groups: [String], uid: String?, by user: UserInfo) throws -> UserInfo {
        func check(_ resource: String, _ value: String, namespace: String = "", group: String = "") throws {
            let a = RequestAttributes(user: user, verb: "impersonate", apiGroup: group, namespace: namespace,
                                      resource: resource, name: value)
            guard authorizer.authorize(a).allowed else {
                throw StatusError.forbidden("\(resource) \"\(value)\" is forbidden: User \"\(user.name)\" cannot impersonate resource \"\(resource)\" in API group \"\(group)\"\(namespace.isEmpty ? " at the cluster scope" : " in the namespace \"\(namespace)\"")",
                                            name: value, group: group, kind: resource)
            }
        }
        var target: UserInfo
        let sa = UserInfo(name: name, groups: []).serviceAccount
        if let sa {
            try check("serviceaccounts", sa.name, namespace: sa.namespace)
            target = .serviceAccount(namespace: sa.namespace, name: sa.name)
        } else {
            try check("users", name)
            target = UserInfo(name: name, groups: [])
        }
        for g in groups {
            try check("groups", g)
            if !target.groups.contains(g) { target.groups.append(g) }
        }
        if let uid {
            try check("uids", uid, group: "authentication.k8s.io")
            target.uid = uid
        }
        if name != UserInfo.anonymous.name, !target.groups.contains(UserInfo.authenticatedGroup) {
            target.groups.append(UserInfo.authenticatedGroup)
        }
        return target
    }

    /// 403 unless some authorizer allows the request.
    func authorize(_ attributes: RequestAttributes) throws {
        switch authorizer.authorize(attributes) {
        case .allow: return
        case .deny(let reason), .noOpinion(let reason): throw attributes.forbidden(reason: reason)
        }
    }

    static func isWatch(query: String?) -> Bool {
        guard let q = query, q.contains("watch") else { return false }
        return RequestOptions(query: RequestOptions.parseQuery(q)).watch
    }
}
