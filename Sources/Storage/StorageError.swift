public enum StorageError: Error, Equatable, Sendable {
    case alreadyExists(key: String)
    case notFound(key: String)
    /// Carries the current value so a caller can retry its read-modify-write without another read.
    case conflict(key: String, current: KeyValue)
    /// The history asked for was dropped by `compact(revision:)`; a watcher must re-list.
    case compacted(requested: Int64, compactRevision: Int64)
    case futureRevision(requested: Int64, current: Int64)
    case closed
    /// The underlying store failed (SQLite error text); the write, if any, did not happen.
    case io(String)
}
