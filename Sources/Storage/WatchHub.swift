import Synchronization

/// In-process fan-out of committed events to watchers, shared by every backend.
///
/// A watcher registers before its history is read, so an event committed meanwhile is either in
/// that history or buffered here; replay then skips what history already delivered. Backends call
/// `publish` once per commit, in revision order, before acknowledging the writers.
final class WatchHub: Sendable {
    private typealias Continuation = AsyncThrowingStream<StorageEvent, any Error>.Continuation

    private struct Watcher {
        let prefix: String
        let continuation: Continuation
        /// Live events that arrived while history was being read; nil once live.
        var pending: [StorageEvent]? = []
        var lastRevision: Int64

        mutating func receive(_ events: [StorageEvent]) {
            for event in events where event.kv.key.hasBytePrefix(prefix) {
                if pending != nil {
                    pending!.append(event)
                } else {
                    deliver(event)
                }
            }
        }

        /// Drops what was already delivered: replayed history and buffered live events overlap.
        mutating func deliver(_ event: StorageEvent) {
            guard event.revision > lastRevision else { return }
            lastRevision = event.revision
            continuation.yield(event)
        }
    }

    private struct State {
        var watchers: [UInt64: Watcher] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// `history` returns the stored events after `afterRevision` under `prefix`.
    func watch(
        prefix: String,
        afterRevision: Int64,
        history: @escaping @Sendable () async throws -> [StorageEvent]
    ) -> AsyncThrowingStream<StorageEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StorageEvent.self)
        let id: UInt64? = state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.watchers[id] = Watcher(prefix: prefix, continuation: continuation, lastRevision: afterRevision)
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        Task {
            do {
                let events = try await history()
                goLive(id, replaying: events)
            } catch {
                remove(id)
                continuation.finish(throwing: error)
            }
        }
        return stream
    }

    func publish(_ events: [StorageEvent]) {
        guard !events.isEmpty else { return }
        state.withLock { state in
            for id in Array(state.watchers.keys) {
                state.watchers[id]?.receive(events)
            }
        }
    }

    /// Ends every watch; later `watch` calls end at once.
    func close() {
        let continuations = state.withLock { state in
            state.closed = true
            defer { state.watchers = [:] }
            return state.watchers.values.map(\.continuation)
        }
        // Outside the lock: finishing runs onTermination, which takes the lock.
        for continuation in continuations { continuation.finish() }
    }

    private func goLive(_ id: UInt64, replaying history: [StorageEvent]) {
        state.withLock { state in
            guard var watcher = state.watchers[id], let pending = watcher.pending else { return }
            watcher.pending = nil
            for event in history { watcher.deliver(event) }
            for event in pending { watcher.deliver(event) }
            state.watchers[id] = watcher
        }
    }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.watchers.removeValue(forKey: id) }
    }
}
