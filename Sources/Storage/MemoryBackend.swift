import Synchronization

/// The storage contract in memory, for fast tests of the layers above; nothing survives the process.
public final class MemoryBackend: StorageBackend {
    private let state = Mutex(MemoryStore())
    private let hub = WatchHub()

    public init() {}

    /// Keys never expire here: the API server sweeps Events itself.
    public var expiresKeys: Bool { false }

    public func currentRevision() async throws -> Int64 {
        try state.withLock { store in
            try store.checkOpen()
            return store.revision
        }
    }

    public func get(_ key: String) async throws -> KeyValue? {
        try state.withLock { store in
            try store.checkOpen()
            return store.current[ByteKey(key)]
        }
    }

    public func list(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws -> ListResult {
        try state.withLock { store in
            try store.checkOpen()
            return try store.list(
                KeyRange(prefix: prefix, startAfter: startAfter), revision: revision ?? 0, limit: limit ?? 0)
        }
    }

    public func count(prefix: String) async throws -> Int {
        try state.withLock { store in
            try store.checkOpen()
            return store.keys(in: KeyRange(prefix: prefix)).count
        }
    }

    /// `ttl` is ignored (`expiresKeys` is false).
    public func create(_ key: String, value: [UInt8], ttl: Duration?) async throws -> KeyValue {
        try write { store in
            guard store.current[ByteKey(key)] == nil else { throw StorageError.alreadyExists(key: key) }
            let revision = store.revision + 1
            let kv = KeyValue(key: key, value: value, createRevision: revision, modRevision: revision)
            return StorageEvent(type: .created, kv: kv, prevKV: nil)
        }.kv
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64?, ttl: Duration?) async throws -> KeyValue {
        try write { store in
            let previous = try store.existing(key, expectedModRevision: expectedModRevision)
            let kv = KeyValue(
                key: key, value: value, createRevision: previous.createRevision, modRevision: store.revision + 1)
            return StorageEvent(type: .updated, kv: kv, prevKV: previous)
        }.kv
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> KeyValue {
        try write { store in
            let previous = try store.existing(key, expectedModRevision: expectedModRevision)
            var kv = previous
            kv.modRevision = store.revision + 1
            return StorageEvent(type: .deleted, kv: kv, prevKV: previous)
        }.kv
    }

    public func events(prefix: String, afterRevision: Int64) async throws -> [StorageEvent] {
        try state.withLock { store in
            try store.checkOpen()
            return try store.events(in: KeyRange(prefix: prefix), after: afterRevision)
        }
    }

    public func watch(prefix: String, afterRevision: Int64) -> AsyncThrowingStream<StorageEvent, any Error> {
        hub.watch(prefix: prefix, afterRevision: afterRevision) { [self] in
            try await events(prefix: prefix, afterRevision: afterRevision)
        }
    }

    public func compact(revision: Int64) async throws {
        try state.withLock { store in
            try store.checkOpen()
            try store.compact(revision)
        }
    }

    public func compactRevision() async throws -> Int64 {
        try state.withLock { store in
            try store.checkOpen()
            return store.compactRevision
        }
    }

    public func close() async {
        state.withLock { $0.closed = true }
        hub.close()
    }

    /// Decides, applies and publishes under one lock, so watchers see events in revision order.
    private func write(_ decide: (MemoryStore) throws -> StorageEvent) throws -> StorageEvent {
        try state.withLock { store in
            try store.checkOpen()
            let event = try decide(store)
            store.apply(event)
            hub.publish([event])
            return event
        }
    }
}
