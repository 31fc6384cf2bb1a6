import HTTPTypes
import KubeAPI

/// What a request asks to do, in the terms authorization decides on (upstream's
/// authorizer.Attributes): who, which verb, and either a resource or a non-resource path.
public struct RequestAttributes: Sendable, Hashable {
    public var user: UserInfo
    public var verb: String
    public var isResourceRequest: Bool
    public var path: String
    public var apiGroup: String
    public var apiVersion: String
    public var namespace: String
    public var resource: String
    public var subresource: String
    public var name: String

    public init(user: UserInfo, verb: String, isResourceRequest: Bool = true, path: String = "", apiGroup: String = "",
                apiVersion: String = "v1", namespace: String = "", resource: String = "", subresource: String = "",
                name: String = "") {
        self.user = user
        self.verb = verb
        self.isResourceRequest = isResourceRequest
        self.path = path
        self.apiGroup = apiGroup
        self.apiVersion = apiVersion
        self.namespace = namespace
        self.resource = resource
        self.subresource = subresource
        self.name = name
    }

    /// The attributes of an HTTP request, as Kubernetes' request-info resolver derives them.
    public static func of(user: UserInfo, method: HTTPRequest.Method, path: String, watch: Bool) -> RequestAttributes {
        let lower = Self.verb(method)
        guard let p = APIPath.parse(path), p.kind == .resource, let resource = p.resource else {
            return RequestAttributes(user: user, verb: lower, isResourceRequest: false, path: path)
        }
        var verb = lower
        if p.name == nil {
            switch method {
            case .get, .head: verb = watch ? "watch" : "list"
            case .delete: verb = "deletecollection"
            default: break
            }
        } else if method == .get, watch {
            verb = "watch"
        }
        return RequestAttributes(user: user, verb: verb, path: path, apiGroup: p.group, apiVersion: p.version,
                                 namespace: p.namespace ?? "", resource: resource, subresource: p.subresource ?? "",
                                 name: p.name ?? "")
    }

    static func verb(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head: "get"
        case .post: "create"
        case .put: "update"
        case .patch: "patch"
        case .delete: "delete"
        default: method.rawValue.lowercased()
        }
    }

    /// Kubernetes' 403 for this request: `pods "x" is forbidden: User "u" cannot get resource "pods"
    /// in API group "" in the namespace "ns"`, with `reason` appended when the authorizer gave one.
    public func forbidden(reason: String = "") -> StatusError {
        let tail = reason.isEmpty ? "" : ": " + reason
        guard isResourceRequest else {
            return .forbidden("forbidden: User \"\(user.name)\" cannot \(verb) path \"\(path)\"\(tail)")
        }
        let qualified = apiGroup.isEmpty ? resource : "\(resource).\(apiGroup)"
        let what = subresource.isEmpty ? resource : "\(resource)/\(subresource)"
        let scope = namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(namespace)\""
        let subject = name.isEmpty ? qualified : "\(qualified) \"\(name)\""
        return .forbidden("\(subject) is forbidden: User \"\(user.name)\" cannot \(verb) resource \"\(what)\" in API group \"\(apiGroup)\" \(scope)\(tail)",
                          name: name.isEmpty ? nil : name, group: apiGroup, kind: resource)
    }
}
