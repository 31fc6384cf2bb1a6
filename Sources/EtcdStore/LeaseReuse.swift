/// Whether a write with a TTL can join the lease granted last, as kube-apiserver's `leaseManager`
/// (k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go) decides: a lease is granted for the TTL
/// plus a reuse period (5 % of the TTL, at most 60 s), and later writes join it while it still
/// outlives their own TTL but by no more than that period, up to 1000 keys per lease. So Events
/// written within a minute of each other share one lease instead of costing a grant each, and
/// each lives at least its TTL and at most one reuse period longer.
struct LeaseReuse: Sendable {
    typealias Instant = ContinuousClock.Instant

    enum Decision: Equatable, Sendable {
        case reuse(id: Int64)
        /// Grant a lease with this TTL (seconds), then report it with `granted`.
        case grant(ttl: Int64)
    }

    var reuseSeconds: Int64 = 60
    var reusePercent = 0.05
    var maxAttached: Int64 = 1000

    private var previous: (id: Int64, expires: Instant)?
    /// Writes counted against the previous lease, including the one that granted it.
    private var attached: Int64 = 0

    /// The reuse period for `ttl`: 5 % of it, at most `reuseSeconds`.
    func reusePeriod(ttl: Int64) -> Int64 {
        min(Int64(reusePercent * Double(ttl)), reuseSeconds)
    }

    mutating func decide(ttl: Int64, now: Instant) -> Decision {
        let period = reusePeriod(ttl: ttl)
        attached += 1
        if let previous {
            let valid = now + .seconds(ttl) < previous.expires
            let sufficient = now + .seconds(ttl + period) > previous.expires
            if valid && sufficient && attached <= maxAttached { return .reuse(id: previous.id) }
        }
        return .grant(ttl: ttl + period)
    }

    /// A lease asked for at `requestedAt` with `ttl` seconds was granted as `id`.
    mutating func granted(id: Int64, ttl: Int64, requestedAt: Instant) {
        previous = (id, requestedAt + .seconds(ttl))
        attached = 1
    }

    /// etcd no longer knows lease `id` (revoked, or lost with the cluster): stop handing it out.
    mutating func forget(_ id: Int64) {
        if previous?.id == id { previous = nil }
    }
}
