/// The storage contract, shaped like etcd (as k3s's kine does on SQL) so that etcd can be a drop-in backend.
///
/// One global revision counter orders every write; the first write is revision 1. Keys are ordered by
/// their UTF-8 bytes. Implementations must behave identically: the contract tests run against each.
public protocol StorageBackend: Sendable {
    func currentRevision() async throws -> Int64
    func get(_ key: String) async throws -> KeyValue?
    /// Keys with the prefix, ascending by key, strictly after `startAfter` if given, at `revision`
    /// (nil/0 = current; an older revision reads history; a compacted one throws `.compacted`),
    /// at most `limit` items (nil/0 = all).
    func list(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws -> ListResult
    func count(prefix: String) async throws -> Int
    /// Throws `.alreadyExists`. `ttl`: how long the key should live (see `expiresKeys`).
    func create(_ key: String, value: [UInt8], ttl: Duration?) async throws -> KeyValue
    /// `expectedModRevision` nil = unconditional. Throws `.notFound`, `.conflict(current:)`.
    /// `ttl` restarts the key's lifetime; nil makes it live until deleted.
    func update(_ key: String, value: [UInt8], expectedModRevision: Int64?, ttl: Duration?) async throws -> KeyValue
    /// True when the backend itself deletes a key written with a `ttl` once that has passed
    /// (rounded up to whole seconds, and possibly up to a minute later: etcd's leases are shared
    /// by writes close in time, as kube-apiserver does); the deletion is an ordinary `.deleted`
    /// event. False when the backend ignores `ttl`, and whoever wants keys to expire sweeps them.
    var expiresKeys: Bool { get }
    /// Returns the deleted value with `modRevision` = the deletion's revision. Throws `.notFound`, `.conflict`.
    func delete(_ key: String, expectedModRevision: Int64?) async throws -> KeyValue
    /// Every event with revision > `afterRevision` for keys under `prefix`, in order;
    /// `.compacted` if `afterRevision` < the compact revision.
    func events(prefix: String, afterRevision: Int64) async throws -> [StorageEvent]
    /// History after `afterRevision`, then live events, in revision order with no gaps or duplicates.
    /// Finishes (without error) when the backend closes; fails with `.compacted` if the history is gone.
    func watch(prefix: String, afterRevision: Int64) -> AsyncThrowingStream<StorageEvent, any Error>
    /// Drops history at and below `revision`, keeping each live key's latest version so reads at
    /// `revision` or later still work. Compacting to the current compact revision again is a no-op.
    func compact(revision: Int64) async throws
    func compactRevision() async throws -> Int64
    func close() async
}

extension StorageBackend {
    public func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
        try await create(key, value: value, ttl: nil)
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64?) async throws -> KeyValue {
        try await update(key, value: value, expectedModRevision: expectedModRevision, ttl: nil)
    }
}
