import KubeAPI
import Synchronization

/// RBAC over the watch cache: the index is rebuilt only when a Role, ClusterRole or binding changed.
public final class RBACAuthorizer: Authorizer {
    static let group = "rbac.authorization.k8s.io"
    static let resources = ["roles", "clusterroles", "rolebindings", "clusterrolebindings"].map {
        ResourceCatalog.lookup(group: group, version: "v1", resource: $0)!
    }

    let cache: WatchCache
    private let state = Mutex<(stamp: Int64, index: RBACIndex?)>((-3, nil))

    public init(cache: WatchCache) { self.cache = cache }

    public var index: RBACIndex {
        let stamp = cache.lastChange(of: Self.resources)
        if let (s, i) = state.withLock({ s in s.index.map { (s.stamp, $0) } }), s == stamp { return i }
        func all(_ r: ResourceInfo) -> [JSON] {
            cache.list(WatchFilter(resource: r, namespace: nil, labels: nil, fields: nil)).items.map(\.json)
        }
        let built = RBACIndex(roles: all(Self.resources[0]), clusterRoles: all(Self.resources[1]),
                              roleBindings: all(Self.resources[2]), clusterRoleBindings: all(Self.resources[3]))
        state.withLock { $0 = (stamp, built) }
        return built
    }

    public func authorize(_ a: RequestAttributes) -> Decision {
        index.allows(a) ? .allow : .noOpinion("")
    }
}
