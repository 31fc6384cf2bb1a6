/// The keys a list or count visits, in UTF-8 byte order: the order of etcd and of SQLite's BINARY
/// collation, which Swift's Unicode-aware `String` comparison does not follow.
struct KeyRange: Sendable {
    let prefix: String
    /// The first key in the range, or the key the range starts strictly after.
    let lower: [UInt8]
    let lowerInclusive: Bool
    /// Exclusive upper bound for an index range scan: the prefix with its last byte incremented.
    /// Valid UTF-8 never contains 0xFF, so `[0xFF]` bounds the empty prefix.
    let upper: [UInt8]

    init(prefix: String, startAfter: String? = nil) {
        self.prefix = prefix
        let prefixBytes = Array(prefix.utf8)
        if let startAfter, !startAfter.utf8.lexicographicallyPrecedes(prefixBytes) {
            lower = Array(startAfter.utf8)
            lowerInclusive = false
        } else {
            lower = prefixBytes
            lowerInclusive = true
        }
        if let last = prefixBytes.last {
            upper = prefixBytes.dropLast() + [last + 1]
        } else {
            upper = [0xFF]
        }
    }

    func contains(_ key: String) -> Bool {
        guard key.utf8.starts(with: prefix.utf8) else { return false }
        return lowerInclusive || lower.lexicographicallyPrecedes(key.utf8)
    }
}

extension String {
    func precedesByBytes(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }

    func hasBytePrefix(_ prefix: String) -> Bool {
        utf8.starts(with: prefix.utf8)
    }
}
