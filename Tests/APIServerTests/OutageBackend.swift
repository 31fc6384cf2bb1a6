import Storage
import Synchronization

/// A memory backend whose watches can be cut off, as a long etcd outage does: `outage()` stops
/// delivering events, and `endOutage()` fails the watch with `.compacted` (the history it would
/// resume from was compacted meanwhile), as the etcd backend's watch then does.
final class OutageBackend: StorageBackend {
    let inner = MemoryBackend()
    private struct Watch {
        let continuation: AsyncThrowingStream<StorageEvent, any Error>.Continuation
        let relay: Task<Void, Never>
        let delivered: Delivered
    }
    private final class Delivered: Sendable {
        let revision: Atomic<Int64>
        init(_ revision: Int64) { self.revision = Atomic(revision) }
    }
    private let open = Mutex<[Watch]>([])
    let watchesStarted = Atomic<Int>(0)

    func outage() {
        for watch in open.withLock({ $0 }) { watch.relay.cancel() }
    }

    func endOutage() async throws {
        let compacted = try await inner.compactRevision()
        for watch in open.withLock({ open in defer { open = [] }; return open }) {
            watch.continuation.finish(throwing: StorageError.compacted(
                requested: watch.delivered.revision.load(ordering: .relaxed), compactRevision: compacted))
        }
    }

    func watch(prefix: String, afterRevision: Int64) -> AsyncThrowingStream<StorageEvent, any Error> {
        watchesStarted.add(1, ordering: .relaxed)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StorageEvent.self)
        let source = inner.watch(prefix: prefix, afterRevision: afterRevision)
        let delivered = Delivered(afterRevision)
        let relay = Task {
            do {
                for try await event in source {
                    if Task.isCancelled { return }
                    delivered.revision.store(event.revision, ordering: .relaxed)
                    continuation.yield(event)
                }
                // Cancelled by `outage()`: the stream stays open until `endOutage()` fails it.
                if !Task.isCancelled { continuation.finish() }
            } catch {
                if !Task.isCancelled { continuation.finish(throwing: error) }
            }
        }
        open.withLock { $0.append(Watch(continuation: continuation, relay: relay, delivered: delivered)) }
        return stream
    }

    var expiresKeys: Bool { false }
    func currentRevision() async throws -> Int64 { try await inner.currentRevision() }
    func get(_ key: String) async throws -> KeyValue? { try await inner.get(key) }
    func list(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws -> ListResult {
        try await inner.list(prefix: prefix, revision: revision, startAfter: startAfter, limit: limit)
    }
    func count(prefix: String) async throws -> Int { try await inner.count(prefix: prefix) }
    func create(_ key: String, value: [UInt8], ttl: Duration?) async throws -> KeyValue {
        try await inner.create(key, value: value, ttl: ttl)
    }
    func update(_ key: String, value: [UInt8], expectedModRevision: Int64?, ttl: Duration?) async throws -> KeyValue {
        try await inner.update(key, value: value, expectedModRevision: expectedModRevision, ttl: ttl)
    }
    func delete(_ key: String, expectedModRevision: Int64?) async throws -> KeyValue {
        try await inner.delete(key, expectedModRevision: expectedModRevision)
    }
    func events(prefix: String, afterRevision: Int64) async throws -> [StorageEvent] {
        try await inner.events(prefix: prefix, afterRevision: afterRevision)
    }
    func compact(revision: Int64) async throws { try await inner.compact(revision: revision) }
    func compactRevision() async throws -> Int64 { try await inner.compactRevision() }
    func close() async { await inner.close() }
}
