import KubeAPI

/// A request path understood as Kubernetes REST: which group-version, namespace, resource, name
/// and subresource it addresses.
public struct APIPath: Sendable, Equatable {
    public var group: String
    public var version: String
    public var namespace: String?
    public var resource: String?
    public var name: String?
    public var subresource: String?

    public enum Kind: Sendable, Equatable {
        /// `/api`, `/apis`
        case groupList(legacy: Bool)
        /// `/apis/<group>`
        case group(String)
        /// `/api/v1`, `/apis/<g>/<v>`
        case groupVersion
        case resource
    }

    public var kind: Kind

    /// Parses `/api/v1/namespaces/ns/pods/name/status` and its relatives; nil if not an API path.
    public static func parse(_ path: String) -> APIPath? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let root = parts.first else { return nil }
        parts.removeFirst()
        var p = APIPath(group: "", version: "", kind: .resource)
        switch root {
        case "api":
            guard let v = parts.first else { p.kind = .groupList(legacy: true); return p }
            p.version = v
            parts.removeFirst()
        case "apis":
            guard let g = parts.first else { p.kind = .groupList(legacy: false); return p }
            p.group = g
            parts.removeFirst()
            guard let v = parts.first else { p.kind = .group(g); return p }
            p.version = v
            parts.removeFirst()
        default:
            return nil
        }
        if parts.isEmpty { p.kind = .groupVersion; return p }
        // namespaces/<ns>/<resource>... addresses a namespaced resource, unless it is the namespace
        // itself with one of its own subresources.
        if parts[0] == "namespaces", parts.count == 3, ["status", "finalize"].contains(parts[2]) {
            p.resource = "namespaces"
            p.name = parts[1]
            p.subresource = parts[2]
            return p
        }
        if parts[0] == "namespaces", parts.count >= 3 {
            p.namespace = parts[1]
            parts.removeFirst(2)
        }
        p.resource = parts[0]
        if parts.count > 1 { p.name = parts[1] }
        if parts.count > 2 { p.subresource = parts[2...].joined(separator: "/") }
        return p
    }
}
