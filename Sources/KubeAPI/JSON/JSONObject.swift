/// An ordered JSON object. Lookups are linear: Kubernetes objects have few keys per level, and
/// keeping order costs less than hashing here.
public struct JSONObject: Sendable, Hashable, Sequence {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: JSON
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public init(_ pairs: [(String, JSON)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> JSON? {
        get {
            for e in entries where e.key == key { return e.value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let v = newValue { entries[i].value = v } else { entries.remove(at: i) }
            } else if let v = newValue {
                entries.append(Entry(key: key, value: v))
            }
        }
        // In place: the member is taken out of its entry while the caller changes it, so it is
        // not copied; nil removes the entry, a new key is appended.
        _modify {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                var v: JSON? = entries[i].value
                entries[i].value = .null
                defer {
                    if let v { entries[i].value = v } else { entries.remove(at: i) }
                }
                yield &v
            } else {
                var v: JSON? = nil
                defer {
                    if let v { entries.append(Entry(key: key, value: v)) }
                }
                yield &v
            }
        }
    }

    /// Appends without checking for an existing key; for parsers that already know keys are new.
    mutating func appendUnchecked(_ key: String, _ value: JSON) {
        entries.append(Entry(key: key, value: value))
    }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSON)> {
        entries.lazy.map { (key: $0.key, value: $0.value) }.makeIterator()
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.entries.count == b.entries.count else { return false }
        for e in a.entries where b[e.key] != e.value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for e in entries.sorted(by: { $0.key < $1.key }) {
            hasher.combine(e.key)
            hasher.combine(e.value)
        }
    }
}
