import KubeAPI

/// Pods waiting to be scheduled, in three sets (PriorityQueue upstream):
/// - active: ready now, highest priority first, then oldest;
/// - backoff: failed recently, ready when their backoff expires;
/// - unschedulable: failed for a reason only a cluster change can fix; moved back by
///   `moveAllToActiveOrBackoff` on such a change, and by `flushUnschedulableLeftover` after
///   at most `maxUnschedulableDuration` (5 minutes).
///
/// Time is passed in (`now`, a Duration since any fixed origin), so the queue is pure.
public struct SchedulingQueue {
    public enum Location: Sendable, Hashable { case active, backoff, unschedulable, inFlight }

    public struct Popped: Sendable {
        public var pod: PodInfo
        public var json: JSON
        public var attempts: Int
        /// The cycle this attempt belongs to; pass it back to `requeueUnschedulable`.
        public var cycle: Int
    }

    struct Entry {
        var pod: PodInfo
        var json: JSON
        var location: Location
        var attempts = 0
        /// When it entered its current set; the backoff clock starts here.
        var since: Duration
        var generation = 0
        var order: Int
    }

    public var backoff: PodBackoff
    public var maxUnschedulableDuration: Duration
    private var entries: [String: Entry] = [:]
    private var active = MinHeap<(priority: Int64, order: Int, uid: String, generation: Int)>(by: {
        $0.priority != $1.priority ? $0.priority > $1.priority : $0.order < $1.order
    })
    private var backingOff = MinHeap<(expiry: Duration, uid: String, generation: Int)>(by: { $0.expiry < $1.expiry })
    private var nextOrder = 0
    private var schedulingCycle = 0
    /// The cycle during which the last cluster change happened; a pod that failed in a cycle
    /// no later than this may have missed that change, so it backs off instead of parking.
    private var moveRequestCycle = -1

    public init(backoff: PodBackoff = PodBackoff(), maxUnschedulableDuration: Duration = .seconds(300)) {
        self.backoff = backoff
        self.maxUnschedulableDuration = maxUnschedulableDuration
    }

    public func location(of uid: String) -> Location? { entries[uid]?.location }
    public var count: Int { entries.count }

    public func count(in location: Location) -> Int { entries.values.filter { $0.location == location }.count }

    /// Adds a new pod to active, or refreshes a queued one. A parked unschedulable pod whose spec
    /// or labels changed gets another chance.
    public mutating func add(_ pod: PodInfo, json: JSON, now: Duration) {
        guard var e = entries[pod.uid] else {
            nextOrder += 1
            entries[pod.uid] = Entry(pod: pod, json: json, location: .active, since: now, order: nextOrder)
            pushActive(pod.uid)
            return
        }
        let changed = e.pod.specFingerprint != pod.specFingerprint
        e.pod = pod
        e.json = json
        entries[pod.uid] = e
        if changed && e.location == .unschedulable { move(pod.uid, now: now) }
    }

    public mutating func delete(uid: String) {
        entries[uid] = nil
    }

    /// The next active pod, now in flight; nil if none is ready.
    public mutating func pop() -> Popped? {
        while let top = active.pop() {
            guard var e = entries[top.uid], e.location == .active, e.generation == top.generation else { continue }
            schedulingCycle += 1
            e.location = .inFlight
            e.attempts += 1
            entries[top.uid] = e
            return Popped(pod: e.pod, json: e.json, attempts: e.attempts, cycle: schedulingCycle)
        }
        return nil
    }

    /// The pod was placed (assumed on a node); it leaves the queue.
    public mutating func done(uid: String) {
        entries[uid] = nil
    }

    /// The attempt found no node. Parks the pod unless the cluster changed meanwhile.
    public mutating func requeueUnschedulable(uid: String, cycle: Int, now: Duration) {
        guard var e = entries[uid] else { return }
        e.since = now
        e.generation += 1
        if moveRequestCycle >= cycle {
            e.location = .backoff
            entries[uid] = e
            pushBackoff(uid)
        } else {
            e.location = .unschedulable
            entries[uid] = e
        }
    }

    /// The attempt failed for another reason (an API error): retry after the backoff.
    public mutating func requeueBackoff(uid: String, now: Duration) {
        guard var e = entries[uid] else { return }
        e.since = now
        e.generation += 1
        e.location = .backoff
        entries[uid] = e
        pushBackoff(uid)
    }

    /// Puts a pod back after a binding that failed outside the queue's view (it had left via `done`).
    public mutating func readdAfterFailure(_ pod: PodInfo, json: JSON, attempts: Int, now: Duration) {
        nextOrder += 1
        entries[pod.uid] = Entry(pod: pod, json: json, location: .backoff, attempts: attempts, since: now, order: nextOrder)
        pushBackoff(pod.uid)
    }

    /// A cluster change (node added or changed, pod deleted) may help any parked pod.
    public mutating func moveAllToActiveOrBackoff(now: Duration) {
        moveRequestCycle = schedulingCycle
        for (uid, e) in entries where e.location == .unschedulable { move(uid, now: now) }
    }

    /// Moves pods whose backoff has expired to active.
    public mutating func flushBackoffCompleted(now: Duration) {
        while let top = backingOff.min, top.expiry <= now {
            backingOff.pop()
            guard var e = entries[top.uid], e.location == .backoff, e.generation == top.generation else { continue }
            e.location = .active
            e.generation += 1
            entries[top.uid] = e
            pushActive(top.uid)
        }
    }

    /// Moves pods parked for `maxUnschedulableDuration` or longer.
    public mutating func flushUnschedulableLeftover(now: Duration) {
        for (uid, e) in entries where e.location == .unschedulable && now - e.since >= maxUnschedulableDuration {
            move(uid, now: now)
        }
    }

    /// When the earliest backing-off pod becomes ready, if any.
    public var nextBackoffExpiry: Duration? {
        var heap = backingOff
        while let top = heap.min {
            if let e = entries[top.uid], e.location == .backoff, e.generation == top.generation { return top.expiry }
            heap.pop()
        }
        return nil
    }

    private func expiry(_ e: Entry) -> Duration { e.since + backoff.duration(attempts: e.attempts) }

    /// To backoff while its backoff since the last failure runs, else to active.
    private mutating func move(_ uid: String, now: Duration) {
        guard var e = entries[uid] else { return }
        e.generation += 1
        if e.attempts > 0 && expiry(e) > now {
            e.location = .backoff
            entries[uid] = e
            pushBackoff(uid)
        } else {
            e.location = .active
            entries[uid] = e
            pushActive(uid)
        }
    }

    private mutating func pushActive(_ uid: String) {
        guard let e = entries[uid] else { return }
        active.push((e.pod.priority, e.order, uid, e.generation))
    }

    private mutating func pushBackoff(_ uid: String) {
        guard let e = entries[uid] else { return }
        backingOff.push((expiry(e), uid, e.generation))
    }
}
