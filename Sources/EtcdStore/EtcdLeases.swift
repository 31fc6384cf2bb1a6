/// The leases this API server attaches keys with a TTL to: one grant at a time, shared by the
/// writes that `LeaseReuse` lets join it.
actor EtcdLeases {
    private var reuse = LeaseReuse()
    /// The grant under way; writes arriving meanwhile wait for it rather than grant their own.
    private var granting: Task<Int64, any Error>?
    private let grant: @Sendable (_ ttlSeconds: Int64) async throws -> Int64
    /// How many leases were granted (for tests and logs).
    private(set) var grants = 0

    init(grant: @escaping @Sendable (_ ttlSeconds: Int64) async throws -> Int64) {
        self.grant = grant
    }

    /// A lease for a key that should live `ttl` (rounded up to whole seconds).
    func lease(ttl: Duration) async throws -> Int64 {
        let seconds = Self.wholeSeconds(ttl)
        while let pending = granting { _ = try? await pending.value }
        let now = ContinuousClock.now
        switch reuse.decide(ttl: seconds, now: now) {
        case .reuse(let id):
            return id
        case .grant(let leaseTTL):
            let grant = self.grant
            let task = Task { try await grant(leaseTTL) }
            granting = task
            defer { granting = nil }
            let id = try await task.value
            reuse.granted(id: id, ttl: leaseTTL, requestedAt: now)
            grants += 1
            return id
        }
    }

    func forget(_ id: Int64) {
        reuse.forget(id)
    }

    static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds + (attoseconds > 0 ? 1 : 0))
    }
}
