/// One key's value as stored at some revision; values are opaque so the storage layer never depends on the object model.
public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]
    /// The revision that created this incarnation of the key; survives updates, resets after a delete and re-create.
    public var createRevision: Int64
    /// The revision of the last write; callers pass it back as `expectedModRevision` for optimistic concurrency.
    public var modRevision: Int64

    public init(key: String, value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}
