import KubeAPI

/// Who is making a request, as authentication found them: a name, groups, and for service
/// accounts and nodes the object they stand for.
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var uid: String
    public var groups: [String]
    /// Extra attributes (e.g. the pod a service-account token is bound to), as upstream's `extra`.
    public var extra: [String: [String]]

    public init(name: String, uid: String = "", groups: [String], extra: [String: [String]] = [:]) {
        self.name = name
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    public static let mastersGroup = "system:masters"
    public static let authenticatedGroup = "system:authenticated"
    public static let nodesGroup = "system:nodes"
    public static let nodeUserPrefix = "system:node:"
    public static let serviceAccountPrefix = "system:serviceaccount:"

    /// The cluster administrator the generated kubeconfig names.
    public static let admin = UserInfo(name: "admin", groups: [mastersGroup, authenticatedGroup])
    /// The API server itself, for its own controllers and bootstrap writes.
    public static let apiServer = UserInfo(name: "system:apiserver", groups: [mastersGroup, authenticatedGroup])
    public static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])

    public static func node(_ name: String) -> UserInfo {
        UserInfo(name: nodeUserPrefix + name, groups: [nodesGroup, authenticatedGroup])
    }

    public static func serviceAccount(namespace: String, name: String, uid: String = "") -> UserInfo {
        UserInfo(name: "\(serviceAccountPrefix)\(namespace):\(name)", uid: uid,
                 groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", authenticatedGroup])
    }

    /// The authentication.k8s.io UserInfo object (reviews, whoami, audit events).
    public var json: JSON {
        var o = JSONObject([("username", .string(name))])
        if !uid.isEmpty { o["uid"] = .string(uid) }
        o["groups"] = .array(groups.map { .string($0) })
        if !extra.isEmpty {
            o["extra"] = .object(JSONObject(extra.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) }))
        }
        return .object(o)
    }

    public var isMaster: Bool { groups.contains(Self.mastersGroup) }

    /// The node name when this is a kubelet's identity (`system:node:<name>` in `system:nodes`).
    public var nodeName: String? {
        guard groups.contains(Self.nodesGroup), name.hasPrefix(Self.nodeUserPrefix) else { return nil }
        let n = name.dropFirst(Self.nodeUserPrefix.count)
        return n.isEmpty ? nil : String(n)
    }

    /// The namespace and name when this is a service account.
    public var serviceAccount: (namespace: String, name: String)? {
        guard name.hasPrefix(Self.serviceAccountPrefix) else { return nil }
        let parts = name.dropFirst(Self.serviceAccountPrefix.count).split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The user a request runs as, for the admission plugins and the store's audit of writers.
    /// Work the server starts itself (bootstrap, controllers) runs as the API server.
    @TaskLocal public static var current: UserInfo = .apiServer
}
