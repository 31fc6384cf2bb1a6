import KubeAPI
import Logging
import Storage
import Synchronization

/// The API server's view of storage, kept current by one watch on the backend: every object
/// serialized once per revision, a window of recent events for watch resumption, and the fan-out
/// to watchers. Lists and gets wait until the cache has caught up with the backend, so reads are
/// consistent with acknowledged writes.
public final class WatchCache: Sendable {
    /// A class, so the fan-out walks references instead of copying each filter (its resource's
    /// strings and selectors) for every event.
    final class Subscriber: Sendable {
        let filter: WatchFilter
        let queue: EventQueue
        init(filter: WatchFilter, queue: EventQueue) {
            self.filter = filter
            self.queue = queue
        }
    }

    struct State {
        /// -1 until the initial load is done, so readers wait for it.
        var revision: Int64 = -1
        /// resource key prefix → key → object
        var objects: [String: [String: CachedObject]] = [:]
        var ring: [CacheEvent] = []
        /// Every event after this revision is in `ring`.
        var historyStart: Int64 = 0
        var subscribers: [String: [Int: Subscriber]] = [:]
        var nextID = 0
        var waiters: [(Int64, CheckedContinuation<Void, Never>)] = []
        /// resource key prefix → revision of its last change; the load counts as a change of all.
        var changed: [String: Int64] = [:]
        var loadedAt: Int64 = -2
    }

    private let state = Mutex(State())
    private let backend: any StorageBackend
    private let capacity: Int
    private let logger: Logger

    public init(backend: any StorageBackend, capacity: Int = 20_000, logger: Logger) {
        self.backend = backend
        self.capacity = capacity
        self.logger = logger
    }

    static let rootPrefix = "/registry/"

    /// Loads the current state and recent history, then follows the backend until it closes.
    /// When the backend's history no longer reaches the cache's revision (a long outage, and the
    /// store was compacted meanwhile), it loads again from the current revision, as Kubernetes'
    /// reflector relists; a load that fails is tried again.
    public func run() async throws {
        var failures = 0
        while true {
            let revision: Int64
            do {
                revision = try await load()
                failures = 0
            } catch StorageError.closed {
                return
            } catch {
                if Task.isCancelled { throw error }
                failures += 1
                logger.warning("watch cache could not load; trying again", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(min(5000, 100 << min(failures, 6))))
                continue
            }
            do {
                for try await ev in backend.watch(prefix: Self.rootPrefix, afterRevision: revision) {
                    apply(ev)
                }
                return
            } catch StorageError.compacted(let requested, let compactRevision) {
                logger.warning("watch cache fell behind the store's history; relisting", metadata: [
                    "after": "\(requested)", "compactRevision": "\(compactRevision)"])
            }
        }
    }

    /// Lists everything and the history still kept (up to `capacity` events) and replaces the
    /// cache's contents with them; returns the revision of the list. Watchers of the cache that
    /// were following before are ended, as Kubernetes' cacher does when it reinitializes: each
    /// resumes from its last resourceVersion where the new history reaches back that far, and
    /// gets 410 Expired otherwise.
    private func load() async throws -> Int64 {
        let list = try await backend.list(prefix: Self.rootPrefix, revision: nil, startAfter: nil, limit: nil)
        let compacted = try await backend.compactRevision()
        let from = max(compacted, list.revision - Int64(capacity))
        let history = (try? await backend.events(prefix: Self.rootPrefix, afterRevision: from)) ?? []
        var objects: [String: [String: CachedObject]] = [:]
        for kv in list.items {
            guard let r = KeyLayout.resource(forKey: kv.key),
                  let o = CachedObject(key: kv.key, stored: kv.value, revision: kv.modRevision, resource: r) else { continue }
            objects[r.keyPrefix, default: [:]][kv.key] = o
        }
        let ended: [EventQueue] = state.withLock { s in
            let reloading = s.loadedAt >= 0
            s.objects = objects
            s.ring = history.filter { $0.revision <= list.revision }.compactMap { Self.cacheEvent($0) }
            s.historyStart = history.isEmpty ? list.revision : from
            s.revision = max(s.revision, list.revision)
            s.loadedAt = list.revision
            s.changed = [:]
            guard reloading else { return [] }
            defer { s.subscribers = [:] }
            return s.subscribers.values.flatMap { $0.values.map(\.queue) }
        }
        for queue in ended { queue.close() }
        wakeReady()
        logger.info("watch cache loaded", metadata: ["objects": "\(list.items.count)", "revision": "\(list.revision)"])
        return list.revision
    }

    /// The cache's form of a backend event. `withPrevious: false` leaves `prev` out, for the
    /// caller to take from the objects it already holds instead of parsing the old value again.
    static func cacheEvent(_ ev: StorageEvent, withPrevious: Bool = true) -> CacheEvent? {
        guard let r = KeyLayout.resource(forKey: ev.kv.key),
              let obj = CachedObject(key: ev.kv.key, stored: ev.kv.value, revision: ev.kv.modRevision, resource: r) else { return nil }
        let prev = withPrevious ? ev.prevKV.flatMap { Self.previous($0, resource: r) } : nil
        let t: CacheEvent.EventType = switch ev.type {
        case .created: .added
        case .updated: .modified
        case .deleted: .deleted
        }
        return CacheEvent(type: t, object: obj, prev: prev, resourcePrefix: r.keyPrefix)
    }

    private static func previous(_ kv: KeyValue, resource: ResourceInfo) -> CachedObject? {
        CachedObject(key: kv.key, stored: kv.value, revision: kv.modRevision, resource: resource)
    }

    /// Applies one event of the backend's watch. Watchers get it under the lock, so nothing that
    /// reads the revision (a bookmark) can see it before every watcher has the event.
    func apply(_ ev: StorageEvent) {
        let parsed = Self.cacheEvent(ev, withPrevious: false)
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { s in
            if var ce = parsed {
                // The object before this change is the one the cache holds (it applies every
                // revision in order); the backend's copy is parsed only if the cache lacks it.
                if let old = ev.prevKV {
                    ce.prev = s.objects[ce.resourcePrefix]?[ce.object.key]
                        ?? KeyLayout.resource(forKey: old.key).flatMap { Self.previous(old, resource: $0) }
                }
                if ce.type == .deleted {
                    s.objects[ce.resourcePrefix]?[ce.object.key] = nil
                } else {
                    s.objects[ce.resourcePrefix, default: [:]][ce.object.key] = ce.object
                }
                s.ring.append(ce)
                s.changed[ce.resourcePrefix] = ev.revision
                if s.ring.count > capacity + capacity / 4 {
                    let drop = s.ring.count - capacity
                    s.historyStart = s.ring[drop - 1].revision
                    s.ring.removeFirst(drop)
                }
                if let subs = s.subscribers[ce.resourcePrefix] {
                    var lines = LineCache()
                    for sub in subs.values {
                        if let item = WatchItem.view(of: ce, through: sub.filter) { sub.queue.push(lines.withLine(item)) }
                    }
                }
            }
            s.revision = max(s.revision, ev.revision)
            let rev = s.revision
            var ready: [CheckedContinuation<Void, Never>] = []
            s.waiters.removeAll { w in
                if w.0 <= rev { ready.append(w.1); return true }
                return false
            }
            return ready
        }
        for w in woken { w.resume() }
    }

    public var revision: Int64 { state.withLock { $0.revision } }

    /// The revision of the latest change to any of these resources (or of the initial load):
    /// something derived from them is stale when this moves.
    public func lastChange(of resources: [ResourceInfo]) -> Int64 {
        state.withLock { s in resources.reduce(s.loadedAt) { max($0, s.changed[$1.keyPrefix] ?? 0) } }
    }

    private func wakeReady() {
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { s in
            var out: [CheckedContinuation<Void, Never>] = []
            s.waiters.removeAll { w in
                if w.0 <= s.revision { out.append(w.1); return true }
                return false
            }
            return out
        }
        for w in ready { w.resume() }
    }

    /// Waits until the cache has seen `revision` (or `timeout` passes); true if it has.
    public func wait(for revision: Int64, timeout: Duration = .seconds(3)) async -> Bool {
        if state.withLock({ $0.revision >= revision }) { return true }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.wakeWaiters(for: revision)
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.revision >= revision { return true }
                s.waiters.append((revision, c))
                return false
            }
            if now { c.resume() }
        }
        timer.cancel()
        return state.withLock { $0.revision >= revision }
    }

    /// Ends the waits for `revision` that timed out.
    private func wakeWaiters(for revision: Int64) {
        let ws: [CheckedContinuation<Void, Never>] = state.withLock { s in
            var out: [CheckedContinuation<Void, Never>] = []
            s.waiters.removeAll { w in
                if w.0 == revision { out.append(w.1); return true }
                return false
            }
            return out
        }
        for w in ws { w.resume() }
    }

    /// Waits until the cache reflects every write the backend has acknowledged.
    public func waitFresh() async throws {
        let rev = try await backend.currentRevision()
        if !(await wait(for: rev)) {
            throw StatusError.timeout("Timeout: Too large resource version: \(rev), current: \(revision)")
        }
    }

    public func get(_ key: String, resource: ResourceInfo) -> CachedObject? {
        state.withLock { $0.objects[resource.keyPrefix]?[key] }
    }

    /// The matching objects, sorted by key, and the revision they were read at.
    public func list(_ filter: WatchFilter) -> (items: [CachedObject], revision: Int64) {
        state.withLock { s in
            let all = s.objects[filter.resource.keyPrefix] ?? [:]
            var out: [CachedObject] = []
            out.reserveCapacity(all.count)
            for o in all.values where filter.matches(o) { out.append(o) }
            out.sort { $0.key < $1.key }
            return (out, s.revision)
        }
    }

    /// Subscribes a watcher. With `from` nil it first gets ADDED for every current match;
    /// otherwise every retained event after `from`. Throws Expired when `from` is older than the
    /// retained history.
    public func subscribe(_ filter: WatchFilter, from: Int64?, queue: EventQueue) throws(StatusError) -> Int {
        try state.withLock { s throws(StatusError) -> Int in
            if let from {
                if from < s.historyStart {
                    throw StatusError.expired("too old resource version: \(from) (\(s.historyStart))")
                }
                for e in s.ring where e.resourcePrefix == filter.resource.keyPrefix && e.revision > from {
                    if let item = WatchItem.view(of: e, through: filter) { queue.push(item) }
                }
            } else {
                let all = (s.objects[filter.resource.keyPrefix] ?? [:]).values.filter(filter.matches).sorted { $0.key < $1.key }
                for o in all { queue.push(.event(.added, o, line: nil)) }
            }
            let id = s.nextID
            s.nextID += 1
            s.subscribers[filter.resource.keyPrefix, default: [:]][id] = Subscriber(filter: filter, queue: queue)
            return id
        }
    }

    public func unsubscribe(_ id: Int, resource: ResourceInfo) {
        let q = state.withLock { s in s.subscribers[resource.keyPrefix]?.removeValue(forKey: id)?.queue }
        q?.close()
    }

    /// Ends every watch (graceful shutdown): clients see the stream end and resume elsewhere.
    public func closeAllWatches() {
        let queues = state.withLock { s in s.subscribers.values.flatMap { $0.values.map(\.queue) } }
        for q in queues { q.close() }
    }

    public var watcherCount: Int { state.withLock { $0.subscribers.values.reduce(0) { $0 + $1.count } } }
}
