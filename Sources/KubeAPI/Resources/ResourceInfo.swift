/// What the API serves for one resource: its group-version-kind, REST names and capabilities.
public struct ResourceInfo: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    /// The plural REST name, e.g. `pods`.
    public var resource: String
    public var singular: String
    public var namespaced: Bool
    public var shortNames: [String] = []
    public var categories: [String] = []
    public var verbs: [String] = ResourceInfo.allVerbs
    /// Subresources with the kind they answer in and their verbs.
    public var subresources: [Subresource] = []

    public struct Subresource: Sendable, Hashable {
        public var name: String
        public var group: String
        public var version: String
        public var kind: String
        public var verbs: [String]
    }

    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var apiVersion: String { groupVersion }
    public var listKind: String { kind + "List" }
    public var hasStatus: Bool { subresources.contains { $0.name == "status" } }

    /// `pods` for core resources, `leases.coordination.k8s.io` otherwise, as Kubernetes names them in messages.
    public var qualifiedResource: String { group.isEmpty ? resource : "\(resource).\(group)" }

    public var definition: TypeSchema? { Schema.shared.definition(group: group, version: version, kind: kind) }

    /// The storage key prefix of this resource; namespaced keys add `<namespace>/`.
    public var keyPrefix: String {
        group.isEmpty ? "/registry/\(resource)/" : "/registry/\(group)/\(resource)/"
    }

    public func key(namespace: String?, name: String) -> String {
        if namespaced, let ns = namespace { return keyPrefix + ns + "/" + name }
        return keyPrefix + name
    }

    /// The list prefix of a collection, all namespaces when `namespace` is nil.
    public func collectionPrefix(namespace: String?) -> String {
        if namespaced, let ns = namespace { return keyPrefix + ns + "/" }
        return keyPrefix
    }
}
