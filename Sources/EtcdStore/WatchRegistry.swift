import Storage

/// The backend's open watches, so `close()` can finish them without error as the contract asks.
struct WatchRegistry: Sendable {
    struct Open: Sendable {
        let continuation: AsyncThrowingStream<StorageEvent, any Error>.Continuation
        let task: Task<Void, Never>
        let cursor: RevisionCursor

        func finish() {
            task.cancel()
            continuation.finish()
        }
    }

    private var open: [UInt64: Open] = [:]
    private var nextID: UInt64 = 0
    private(set) var closed = false

    /// nil once closed.
    mutating func add(_ watch: Open) -> UInt64? {
        guard !closed else { return nil }
        let id = nextID
        nextID += 1
        open[id] = watch
        return id
    }

    mutating func remove(_ id: UInt64) {
        open[id] = nil
    }

    mutating func close() -> [Open] {
        closed = true
        defer { open = [:] }
        return Array(open.values)
    }
}
