import Synchronization

/// The last committed revision, published by the writer so that reads of it need no trip to a
/// reader thread. -1 until the writer has opened the database.
final class RevisionMark: Sendable {
    private let value = Atomic<Int64>(-1)

    func set(_ v: Int64) { value.store(v, ordering: .releasing) }
    var current: Int64? {
        let v = value.load(ordering: .acquiring)
        return v < 0 ? nil : v
    }
}
