import KubeAPI
import Synchronization

/// Charges admitted objects to a ResourceQuota's `status.used` in batches: concurrent requests
/// against the same quota wait in a queue and are decided together, in arrival order, with one
/// conditional write for the whole batch (as Kubernetes' quota evaluator batches per namespace),
/// so they neither conflict nor wait for each other's writes one by one.
actor QuotaLedger {
    struct Charge {
        var usage: [String: Quantity]
        /// The refusal for a charge that would exceed `hard`, given what is used before it.
        var refuse: @Sendable (_ used: [String: Quantity], _ hard: [String: Quantity], _ over: [String]) -> StatusError
        var done: CheckedContinuation<Void, any Error>
    }

    static let quotas = ResourceCatalog.lookup(group: "", version: "v1", resource: "resourcequotas")!
    /// One per process: the quota controller asks it what was charged lately.
    static let shared = QuotaLedger()
    private var queues: [String: [Charge]] = [:]
    private var draining: Set<String> = []
    /// When each quota was last charged, or is being charged now. Read without the actor, from
    /// inside the controller's conditional update, so a recount that races a charge sees it.
    private nonisolated let lastCharge = ChargeMarks()

    final class ChargeMarks: Sendable {
        private let marks = Mutex<[String: ContinuousClock.Instant]>([:])
        func mark(_ key: String) { marks.withLock { $0[key] = ContinuousClock.now } }
        func last(_ key: String) -> ContinuousClock.Instant? { marks.withLock { $0[key] } }
    }

    /// Whether a charge was written to the quota within `window`, or is being written: objects
    /// admitted a moment ago may not be in the watch cache yet, so a recount then could undercount.
    nonisolated func chargedRecently(namespace: String, quota: String, within window: Duration = .seconds(3)) -> Bool {
        guard let at = lastCharge.last(namespace + "/" + quota) else { return false }
        return ContinuousClock.now - at < window
    }

    func charge(namespace: String, quota: String, usage: [String: Quantity], store: ObjectStore,
                refuse: @escaping @Sendable ([String: Quantity], [String: Quantity], [String]) -> StatusError) async throws {
        let key = namespace + "/" + quota
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            queues[key, default: []].append(Charge(usage: usage, refuse: refuse, done: c))
            if !draining.contains(key) {
                draining.insert(key)
                Task { await self.drain(key, namespace: namespace, quota: quota, store: store) }
            }
        }
    }

    private func drain(_ key: String, namespace: String, quota: String, store: ObjectStore) async {
        let marks = lastCharge
        while let batch = queues.removeValue(forKey: key), !batch.isEmpty {
            var outcomes: [StatusError?] = []
            do {
                _ = try await store.guaranteedUpdate(Self.quotas, namespace: namespace, name: quota, subresource: "status") { current in
                    let hard = current["spec"]?.quantities("hard") ?? [:]
                    var used = ResourceQuotaController.recorded(current, hard: hard, cache: store.cache)
                    outcomes = []
                    for charge in batch {
                        let over = QuotaUsage.exceeded(charge.usage, used: used, hard: hard)
                        if over.isEmpty {
                            for (k, v) in charge.usage { used[k] = (used[k] ?? .zero) + v }
                            outcomes.append(nil)
                        } else {
                            outcomes.append(charge.refuse(used, hard, over))
                        }
                    }
                    // Marked before the write commits: a recount from now on must not write
                    // less than is stored.
                    if outcomes.contains(where: { $0 == nil }) { marks.mark(key) }
                    var next = current
                    next[path: ["status", "hard"]] = current[path: ["spec", "hard"]]
                    next[path: ["status", "used"]] = ResourceQuotaController.json(used)
                    return next
                }
                if outcomes.contains(where: { $0 == nil }) { marks.mark(key) }
                for (charge, outcome) in zip(batch, outcomes) {
                    if let outcome { charge.done.resume(throwing: outcome) } else { charge.done.resume() }
                }
            } catch {
                for charge in batch { charge.done.resume(throwing: error) }
            }
        }
        draining.remove(key)
    }
}
