public enum StorageEventType: Sendable {
    case created, updated, deleted
}

/// One committed write, as watchers and `events(prefix:afterRevision:)` see it.
public struct StorageEvent: Sendable, Equatable {
    public var type: StorageEventType
    /// For `.deleted`, the last value with `modRevision` set to the deletion's revision, so every event carries its own revision.
    public var kv: KeyValue
    /// The value before this write; nil for `.created`.
    public var prevKV: KeyValue?

    public var revision: Int64 { kv.modRevision }

    public init(type: StorageEventType, kv: KeyValue, prevKV: KeyValue?) {
        self.type = type
        self.kv = kv
        self.prevKV = prevKV
    }
}
