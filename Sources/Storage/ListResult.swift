public struct ListResult: Sendable {
    public var items: [KeyValue]
    /// The revision the list was read at; a watch from here continues it without gaps.
    public var revision: Int64
    /// True when `limit` cut the list; the next page starts after `items.last.key` at the same `revision`.
    public var more: Bool

    public init(items: [KeyValue], revision: Int64, more: Bool) {
        self.items = items
        self.revision = revision
        self.more = more
    }
}
