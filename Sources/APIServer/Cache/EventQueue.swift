import Synchronization

/// A watcher's outbox: the cache pushes without waiting; the writer takes everything pending at
/// once, so a burst goes out in one write. A watcher that falls too far behind is cut off, as
/// Kubernetes does with slow watchers, rather than growing without bound.
public final class EventQueue: Sendable {
    private struct State {
        var items: [WatchItem] = []
        var waiter: CheckedContinuation<[WatchItem]?, Never>?
        var closed = false
    }

    private let state = Mutex(State())
    private let limit: Int

    public init(limit: Int = 100_000) { self.limit = limit }

    public func push(_ item: WatchItem) {
        let resume: (CheckedContinuation<[WatchItem]?, Never>, [WatchItem]?)? = state.withLock { s in
            guard !s.closed else { return nil }
            s.items.append(item)
            if s.items.count > limit { s.closed = true; s.items = [] }
            if let w = s.waiter {
                s.waiter = nil
                let batch = s.closed ? nil : s.items
                s.items = []
                return (w, batch)
            }
            return nil
        }
        if let (w, batch) = resume { w.resume(returning: batch) }
    }

    public func close() {
        let w: CheckedContinuation<[WatchItem]?, Never>? = state.withLock { s in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume(returning: nil)
    }

    /// Whatever is pending now, without waiting.
    public func drain() -> [WatchItem] {
        state.withLock { s in
            defer { s.items = [] }
            return s.items
        }
    }

    /// Everything pending, waiting for at least one item; nil once closed and drained.
    public func next() async -> [WatchItem]? {
        await withCheckedContinuation { (c: CheckedContinuation<[WatchItem]?, Never>) in
            let ready: [WatchItem]?? = state.withLock { s in
                if !s.items.isEmpty {
                    defer { s.items = [] }
                    return .some(s.items)
                }
                if s.closed { return .some(nil) }
                s.waiter = c
                return .none
            }
            if let r = ready { c.resume(returning: r) }
        }
    }
}
