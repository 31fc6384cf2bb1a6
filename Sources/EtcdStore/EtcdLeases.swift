/// The leases this API server attaches keys with a TTL to: one grant at a time, shared by the
/// writes that `LeaseReuse` lets join it.
actor EtcdLeases {
    private struct Grant {
        let task: Task<Int64, any Error>
        let ttl: Int64
        let requestedAt: ContinuousClock.Instant
    }

    private var reuse = LeaseReuse()
    /// The grant under way; writes arriving meanwhile wait for it rather than grant their own.
    private var granting: Grant?
    private let grant: @Sendable (_ ttlSeconds: Int64) async throws -> Int64
    /// How many leases were granted (for tests and logs).
    private(set) var grants = 0

    init(grant: @escaping @Sendable (_ ttlSeconds: Int64) async throws -> Int64) {
        self.grant = grant
    }

    /// A lease for a key that should live `ttl` (rounded up to whole seconds).
    func lease(ttl: Duration) async throws -> Int64 {
        let seconds = Self.wholeSeconds(ttl)
        while let pending = granting { await settle(pending) }
        let now = ContinuousClock.now
        switch reuse.decide(ttl: seconds, now: now) {
        case .reuse(let id):
            return id
        case .grant(let leaseTTL):
            let grant = self.grant
            let pending = Grant(task: Task { try await grant(leaseTTL) }, ttl: leaseTTL, requestedAt: now)
            granting = pending
            await settle(pending)
            return try await pending.task.value
        }
    }

    /// Waits for `pending` and records its lease; whichever waiter resumes first does it, so no
    /// waiter finds the finished grant still marked as under way.
    private func settle(_ pending: Grant) async {
        let result = await pending.task.result
        guard granting?.task == pending.task else { return }
        granting = nil
        if case .success(let id) = result {
            reuse.granted(id: id, ttl: pending.ttl, requestedAt: pending.requestedAt)
            grants += 1
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
