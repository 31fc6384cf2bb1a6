import Foundation
import GRPCCore
import Storage
import Synchronization

extension EtcdBackend {
    /// An etcd watch on the prefix from `afterRevision + 1`, with previous values. When a member
    /// dies or the stream breaks, the watch resumes after the last delivered revision on the next
    /// member, so the stream has neither gaps nor duplicates; it fails only with `.compacted`.
    public func watch(prefix: String, afterRevision: Int64) -> AsyncThrowingStream<StorageEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StorageEvent.self)
        let (key, rangeEnd) = keys.range(prefix: prefix)
        let cursor = RevisionCursor(afterRevision)
        let task = Task {
            await self.follow(key: key, rangeEnd: rangeEnd, prefix: prefix, cursor: cursor, into: continuation)
        }
        guard let id = watches.withLock({ $0.add(.init(continuation: continuation, task: task, cursor: cursor)) }) else {
            task.cancel()
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            task.cancel()
            self?.watches.withLock { $0.remove(id) }
        }
        return stream
    }

    /// The events after `afterRevision` up to the current revision. etcd keeps history only
    /// behind its watch API, so this is a watch on the whole keyspace (the newest revision is
    /// always some key's event, which tells when history is done) filtered to the prefix.
    public func events(prefix: String, afterRevision: Int64) async throws -> [StorageEvent] {
        try await checkNotCompacted(afterRevision)
        let current = try await currentRevision()
        if current <= afterRevision { return [] }
        let cursor = RevisionCursor(afterRevision)
        let collected = EventBuffer()
        let prefixBytes = Array(prefix.utf8)
        try await stream(key: [0], rangeEnd: [0], cursor: cursor) { events in
            let wanted = events.filter { Array($0.kv.key.utf8).starts(with: prefixBytes) && $0.revision <= current }
            collected.events.withLock { $0.append(contentsOf: wanted) }
            return cursor.value >= current
        }
        return collected.events.withLock { $0 }
    }

    func checkNotCompacted(_ afterRevision: Int64) async throws {
        if try await !readable(afterRevision) {
            throw StorageError.compacted(requested: afterRevision, compactRevision: try await compactRevision())
        }
    }

    private func follow(key: [UInt8], rangeEnd: [UInt8], prefix: String, cursor: RevisionCursor,
                        into continuation: AsyncThrowingStream<StorageEvent, any Error>.Continuation) async {
        var failures = 0
        while !Task.isCancelled {
            let before = cursor.value
            do {
                try await checkNotCompacted(cursor.value)
                try await stream(key: key, rangeEnd: rangeEnd, cursor: cursor) { events in
                    for event in events { continuation.yield(event) }
                    return false
                }
            } catch let error as StorageError {
                if cursor.value > before { failures = 0 }
                if case .compacted = error {
                    continuation.finish(throwing: error)
                    return
                }
                failures += 1
            } catch {
                if Task.isCancelled { break }
                if cursor.value > before { failures = 0 }
                failures += 1
                if failures == 1 || failures % 20 == 0 {
                    logger.warning("etcd watch broke; resuming", metadata: [
                        "prefix": "\(prefix)", "after": "\(cursor.value)", "error": "\(error)"])
                }
            }
            if Task.isCancelled { break }
            pool.failed(pool.currentIndex)
            try? await Task.sleep(for: .milliseconds(min(1000, 50 * failures)))
        }
        continuation.finish()
    }

    /// One watch stream from `cursor + 1`; `deliver` gets each batch of new events (in revision
    /// order, after the cursor) and returns true to end the stream. Returns when `deliver` says so;
    /// throws when the stream breaks or ends.
    private func stream(key: [UInt8], rangeEnd: [UInt8], cursor: RevisionCursor,
                        deliver: @escaping @Sendable ([StorageEvent]) -> Bool) async throws {
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = Data(key)
        create.rangeEnd = Data(rangeEnd)
        create.startRevision = EtcdKeySpace.etcdRevision(cursor.value) + 1
        create.prevKv = true
        var watchRequest = Etcdserverpb_WatchRequest()
        watchRequest.createRequest = create
        let request = watchRequest
        let member = pool.members[pool.currentIndex]
        let keys = self.keys
        let done: Bool = try await member.watch.watch(request: StreamingClientRequest { writer in
            try await writer.write(request)
            // Keep the request side open: closing it would end the watch.
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }, options: pool.streamOptions) { response in
            for try await message in response.messages {
                if message.compactRevision > 0 {
                    throw StorageError.compacted(requested: cursor.value,
                                                 compactRevision: EtcdKeySpace.storageRevision(message.compactRevision))
                }
                if message.canceled { throw EtcdWatchCanceled(reason: message.cancelReason) }
                let after = cursor.value
                var batch: [StorageEvent] = []
                for event in message.events {
                    guard let converted = Self.storageEvent(event, keys), converted.revision > after else { continue }
                    batch.append(converted)
                }
                if let last = message.events.last { cursor.advance(to: EtcdKeySpace.storageRevision(last.kv.modRevision)) }
                if !message.events.isEmpty {
                    if deliver(batch) { return true }
                }
            }
            return false
        }
        if !done { throw EtcdWatchCanceled(reason: "the watch stream ended") }
    }

    static func storageEvent(_ event: Mvccpb_Event, _ keys: EtcdKeySpace) -> StorageEvent? {
        guard let key = keys.storageKey(Array(event.kv.key)) else { return nil }
        let revision = EtcdKeySpace.storageRevision(event.kv.modRevision)
        let previous: KeyValue? = event.hasPrevKv ? KeyValue(
            key: key, value: Array(event.prevKv.value),
            createRevision: EtcdKeySpace.storageRevision(event.prevKv.createRevision),
            modRevision: EtcdKeySpace.storageRevision(event.prevKv.modRevision)) : nil
        switch event.type {
        case .delete:
            var kv = previous ?? KeyValue(key: key, value: [], createRevision: 0, modRevision: revision)
            kv.modRevision = revision
            return StorageEvent(type: .deleted, kv: kv, prevKV: previous)
        default:
            let kv = KeyValue(key: key, value: Array(event.kv.value),
                              createRevision: EtcdKeySpace.storageRevision(event.kv.createRevision), modRevision: revision)
            let created = event.kv.version == 1
            return StorageEvent(type: created ? .created : .updated, kv: kv, prevKV: created ? nil : previous)
        }
    }
}

final class EventBuffer: Sendable {
    let events = Mutex<[StorageEvent]>([])
}

struct EtcdWatchCanceled: Error {
    let reason: String
}

/// The last revision a watch delivered, shared between its attempts.
final class RevisionCursor: Sendable {
    private let stored: Atomic<Int64>

    init(_ value: Int64) { stored = Atomic(value) }

    var value: Int64 { stored.load(ordering: .relaxed) }

    func advance(to revision: Int64) {
        if revision > value { stored.store(revision, ordering: .relaxed) }
    }
}
