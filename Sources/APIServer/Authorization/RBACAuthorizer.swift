import KubeAPI
import Synchronization

/// RBAC over the watch cache: the index is rebuilt only when a Role, ClusterRole or binding
/// changed, and the decisions taken against an index are remembered with it (a pure function of
/// the request's attributes), so a stream of like requests is evaluated once.
public final class RBACAuthorizer: Authorizer {
    static let group = "rbac.authorization.k8s.io"
    static let resources = ["roles", "clusterroles", "rolebindings", "clusterrolebindings"].map {
        ResourceCatalog.lookup(group: group, version: "v1", resource: $0)!
    }

    let cache: WatchCache
    private let state = Mutex<(stamp: Int64, index: RBACIndex?, decisions: [RequestAttributes: Bool])>((-3, nil, [:]))
    static let rememberedDecisions = 4096

    public init(cache: WatchCache) { self.cache = cache }

    public var index: RBACIndex { index(at: cache.lastChange(of: Self.resources)) }

    private func index(at stamp: Int64) -> RBACIndex {
        if let (s, i) = state.withLock({ s in s.index.map { (s.stamp, $0) } }), s == stamp { return i }
        func all(_ r: ResourceInfo) -> [JSON] {
            cache.list(WatchFilter(resource: r, namespace: nil, labels: nil, fields: nil)).items.map(\.json)
        }
        let built = RBACIndex(roles: all(Self.resources[0]), clusterRoles: all(Self.resources[1]),
                              roleBindings: all(Self.resources[2]), clusterRoleBindings: all(Self.resources[3]))
        state.withLock { $0 = (stamp, built, [:]) }
        return built
    }

    public func authorize(_ a: RequestAttributes) -> Decision {
        let stamp = cache.lastChange(of: Self.resources)
        if let hit = state.withLock({ s in s.stamp == stamp ? s.decisions[a] : nil }) { return hit ? .allow : .noOpinion("") }
        let allowed = index(at: stamp).allows(a)
        state.withLock { s in
            // Kept only if the index it was decided on is still the current one.
            guard s.stamp == stamp else { return }
            if s.decisions.count >= Self.rememberedDecisions { s.decisions.removeAll(keepingCapacity: true) }
            s.decisions[a] = allowed
        }
        return allowed ? .allow : .noOpinion("")
    }
}
