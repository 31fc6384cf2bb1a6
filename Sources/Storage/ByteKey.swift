/// A key hashed and compared by its UTF-8 bytes. Swift's `String` equality is Unicode canonical
/// equivalence ("é" == "e\u{301}"), but etcd and SQLite treat those as two different keys.
struct ByteKey: Hashable {
    let key: String

    init(_ key: String) { self.key = key }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
        lhs.key.utf8.elementsEqual(rhs.key.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for byte in key.utf8 { hasher.combine(byte) }
    }
}
