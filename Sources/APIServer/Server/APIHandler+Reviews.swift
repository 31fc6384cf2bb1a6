import Foundation
import Hummingbird
import KubeAPI

/// The requests answered rather than stored: access reviews (`kubectl auth can-i`), self
/// reviews (`kubectl auth whoami`), token reviews, and TokenRequests for service accounts.
extension APIHandler {
    func review(_ request: Request, _ r: ResourceInfo, namespace: String?, user: UserInfo) async throws -> Response {
        var body = try await readObject(request, r)
        let spec = body["spec"] ?? .null
        switch r.resource {
        case "selfsubjectaccessreviews":
            body["status"] = accessStatus(spec, user: user)
        case "subjectaccessreviews":
            body["status"] = accessStatus(spec, user: try reviewedSubject(spec, r))
        case "localsubjectaccessreviews":
            // A namespace's own question: about that namespace's resources only.
            let asked = spec[path: ["resourceAttributes", "namespace"]]?.string ?? ""
            if let n = spec["nonResourceAttributes"], n.object != nil {
                throw StatusError.invalid(kind: r.kind, group: r.group, name: "",
                                          causes: [.invalid("spec.nonResourceAttributes", n, "disallowed on this kind of request")])
            }
            guard spec["resourceAttributes"]?.object != nil else {
                throw StatusError.invalid(kind: r.kind, group: r.group, name: "",
                                          causes: [.required("spec.resourceAttributes", "")])
            }
            guard asked == (namespace ?? "") else {
                throw StatusError.badRequest("spec.resourceAttributes.namespace must match namespace: \(namespace ?? "")")
            }
            body["status"] = accessStatus(spec, user: try reviewedSubject(spec, r))
        case "selfsubjectrulesreviews":
            body["status"] = rulesStatus(namespace: spec["namespace"]?.string ?? "", user: user)
        case "selfsubjectreviews":
            body["status"] = ["userInfo": user.json]
        case "tokenreviews":
            let token = spec["token"]?.string ?? ""
            if let u = try? authenticator.authenticate(authorization: "Bearer " + token, certificate: nil) {
                body["status"] = .object(JSONObject([("authenticated", true), ("user", u.json),
                                                     ("audiences", .array(spec.strings("audiences").map { .string($0) }))]))
            } else {
                body["status"] = ["authenticated": false, "error": "invalid bearer token"]
            }
        default:
            throw StatusError.pathNotFound
        }
        body["apiVersion"] = .string(r.apiVersion)
        body["kind"] = .string(r.kind)
        if body["metadata"] == nil { body["metadata"] = .object(JSONObject()) }
        if r.namespaced, let namespace { body[path: ["metadata", "namespace"]] = .string(namespace) }
        body[path: ["metadata", "creationTimestamp"]] = .null
        return APIResponse.json(body, status: .created)
    }

    /// The user a (Local)SubjectAccessReview asks about.
    func reviewedSubject(_ spec: JSON, _ r: ResourceInfo) throws -> UserInfo {
        let subject = UserInfo(name: spec["user"]?.string ?? "", uid: spec["uid"]?.string ?? "", groups: spec.strings("groups"))
        guard !subject.name.isEmpty || !subject.groups.isEmpty else {
            throw StatusError.invalid(kind: r.kind, group: r.group, name: "",
                                      causes: [.required("spec.user", "at least one of user or group must be specified")])
        }
        return subject
    }

    func accessStatus(_ spec: JSON, user: UserInfo) -> JSON {
        let a: RequestAttributes
        if let n = spec["nonResourceAttributes"], n.object != nil {
            a = RequestAttributes(user: user, verb: n["verb"]?.string ?? "", isResourceRequest: false, path: n["path"]?.string ?? "")
        } else {
            let ra = spec["resourceAttributes"] ?? .null
            a = RequestAttributes(user: user, verb: ra["verb"]?.string ?? "", apiGroup: ra["group"]?.string ?? "",
                                  apiVersion: ra["version"]?.string ?? "", namespace: ra["namespace"]?.string ?? "",
                                  resource: ra["resource"]?.string ?? "", subresource: ra["subresource"]?.string ?? "",
                                  name: ra["name"]?.string ?? "")
        }
        switch authorizer.authorize(a) {
        case .allow:
            return ["allowed": true, "reason": "allowed by the cluster's authorization policy"]
        case .deny(let reason):
            return .object(JSONObject([("allowed", false), ("denied", true), ("reason", .string(reason))]))
        case .noOpinion(let reason):
            return reason.isEmpty ? ["allowed": false] : .object(JSONObject([("allowed", false), ("reason", .string(reason))]))
        }
    }

    func rulesStatus(namespace: String, user: UserInfo) -> JSON {
        var resourceRules: [JSON] = []
        var nonResourceRules: [JSON] = []
        let rules: [PolicyRule] = user.isMaster
            ? [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])]
            : (authorizer as? AuthorizerChain)?.modes.compactMap { $0 as? RBACAuthorizer }.first?.index.rules(for: user, namespace: namespace) ?? []
        for rule in rules {
            if rule.nonResourceURLs.isEmpty { resourceRules.append(rule.json) } else { nonResourceRules.append(rule.json) }
        }
        return .object(JSONObject([("resourceRules", .array(resourceRules)), ("nonResourceRules", .array(nonResourceRules)),
                                   ("incomplete", false)]))
    }


    /// serviceaccounts/<name>/token: a bound, expiring token for the account (and the pod it names).
    func tokenRequest(_ request: Request, namespace: String, serviceAccount: String, user: UserInfo) async throws -> Response {
        guard let issuer = tokenIssuer else { throw StatusError.pathNotFound }
        let tr = ResourceCatalog.lookup(group: "", version: "v1", resource: "serviceaccounts")!
        let sa = try await store.get(tr, namespace: namespace, name: serviceAccount).json
        var body = try await readObject(request, tr)
        let spec = body["spec"] ?? .null
        let requested = spec["expirationSeconds"]?.int ?? 3600
        guard requested >= 600 else {
            throw StatusError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: serviceAccount,
                                      causes: [.invalid("spec.expirationSeconds", .int(requested), "may not specify a duration less than 10 minutes")])
        }
        let expiration = min(requested, 48 * 3600)
        var podName: String?
        var podUID: String?
        if let ref = spec["boundObjectRef"], ref.object != nil {
            guard ref["kind"]?.string == "Pod" || ref["kind"]?.string == "Secret" else {
                throw StatusError.badRequest("cannot bind token to object of type \(ref["kind"]?.string ?? "")")
            }
            let pods = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!
            let name = ref["name"]?.string ?? ""
            if ref["kind"]?.string == "Pod" {
                let pod = try await store.get(pods, namespace: namespace, name: name).json
                if let uid = ref["uid"]?.string, !uid.isEmpty, uid != pod[path: ["metadata", "uid"]]?.string {
                    throw StatusError.conflict(pods, name, "the UID in the bound object reference (\(uid)) does not match the UID in record")
                }
                if let node = user.nodeName, pod[path: ["spec", "nodeName"]]?.string != node {
                    throw StatusError.forbidden("node '\(node)' can only request tokens for pods bound to itself")
                }
                podName = name
                podUID = pod[path: ["metadata", "uid"]]?.string
            }
        }
        let now = Int64(Date().timeIntervalSince1970)
        let audiences = spec.strings("audiences").isEmpty ? [ServiceAccountTokens.issuer] : spec.strings("audiences")
        let token = try issuer.issue(.init(namespace: namespace, serviceAccount: serviceAccount,
                                           serviceAccountUID: sa[path: ["metadata", "uid"]]?.string ?? "",
                                           podName: podName, podUID: podUID, audiences: audiences,
                                           issuedAt: now, expiresAt: now + expiration))
        body["apiVersion"] = "authentication.k8s.io/v1"
        body["kind"] = "TokenRequest"
        body[path: ["metadata", "name"]] = .string(serviceAccount)
        body[path: ["metadata", "namespace"]] = .string(namespace)
        body[path: ["metadata", "creationTimestamp"]] = .null
        body[path: ["spec", "audiences"]] = .array(audiences.map { .string($0) })
        body[path: ["spec", "expirationSeconds"]] = .int(expiration)
        body["status"] = .object(JSONObject([("token", .string(token)),
                                             ("expirationTimestamp", .string(Timestamp.string(Date(timeIntervalSince1970: TimeInterval(now + expiration)))))]))
        return APIResponse.json(body, status: .created)
    }
}
