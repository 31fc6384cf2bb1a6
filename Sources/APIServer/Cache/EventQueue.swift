import Synchronization

/// A watcher's outbox: the cache pushes without waiting; the writer takes everything pending at
/// once, so a burst goes out in one write. A watcher that falls too far behind is cut off, as
/// Kubernetes does with slow watchers, rather than growing without bound.
///
/// Two ways to be the writer: a task awaiting `next()`, or a callback (`notify(with:)`) that is
/// told once when items arrive and then `take()`s them, as the event-loop writer does.
public final class EventQueue: Sendable {
    private struct State {
        var items: [WatchItem] = []
        var waiter: CheckedContinuation<[WatchItem]?, Never>?
        var closed = false
        var notify: (@Sendable () -> Void)?
        /// The callback was called and the writer has not taken since.
        var notified = false

        /// The callback to call now, outside the lock: only on the first change after a take.
        mutating func pendingNotification() -> (@Sendable () -> Void)? {
            guard let notify, !notified else { return nil }
            notified = true
            return notify
        }
    }

    private let state = Mutex(State())
    private let limit: Int

    public init(limit: Int = 100_000) { self.limit = limit }

    public func push(_ item: WatchItem) {
        var notify: (@Sendable () -> Void)?
        let resume: (CheckedContinuation<[WatchItem]?, Never>, [WatchItem]?)? = state.withLock { s in
            guard !s.closed else { return nil }
            s.items.append(item)
            if s.items.count > limit { s.closed = true; s.items = [] }
            notify = s.pendingNotification()
            if let w = s.waiter {
                s.waiter = nil
                let batch = s.closed ? nil : s.items
                s.items = []
                return (w, batch)
            }
            return nil
        }
        if let (w, batch) = resume { w.resume(returning: batch) }
        notify?()
    }

    public func close() {
        var notify: (@Sendable () -> Void)?
        let w: CheckedContinuation<[WatchItem]?, Never>? = state.withLock { s in
            guard !s.closed else { return nil }
            s.closed = true
            notify = s.pendingNotification()
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume(returning: nil)
        notify?()
    }

    /// Makes `callback` the writer: it is called (on the pushing thread, so it should only hand
    /// over) when items arrive or the queue closes, once until the next `take()`. The caller takes
    /// what is already pending itself.
    public func notify(with callback: @escaping @Sendable () -> Void) {
        state.withLock { s in
            s.notify = callback
            s.notified = true
        }
    }

    /// Forgets the callback (which may hold its writer, and the writer this queue).
    public func stopNotifying() {
        state.withLock { $0.notify = nil }
    }

    /// Whatever is pending and whether the queue is closed; re-arms the notification.
    public func take() -> (items: [WatchItem], closed: Bool) {
        state.withLock { s in
            defer { s.items = []; s.notified = false }
            return (s.items, s.closed)
        }
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
