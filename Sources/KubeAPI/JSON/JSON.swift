/// A JSON value. Objects keep their keys in insertion order, so what a client sent comes back in
/// the same shape; equality ignores that order.
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

extension JSON {
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var object: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var array: [JSON]? { if case .array(let a) = self { return a } else { return nil } }

    public var int: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The member `key` of an object; nil for a missing key or a non-object.
    public subscript(key: String) -> JSON? {
        get { object?[key] }
        set {
            guard case .object(var o) = self else { return }
            // Let go of self's reference first, so `o` is unique and changes in place.
            self = .null
            o[key] = newValue
            self = .object(o)
        }
        // `json["a"]?["b"] = x` changes the member in place rather than a copy of it.
        _modify {
            guard case .object(var o) = self else {
                var ignored: JSON? = nil
                yield &ignored
                return
            }
            self = .null
            defer { self = .object(o) }
            yield &o[key]
        }
    }

    /// The value at a path of object keys, nil if any step is missing.
    public subscript(path path: [String]) -> JSON? {
        get {
            var cur: JSON? = self
            for k in path { cur = cur?[k] }
            return cur
        }
        set { set(path: path[...], newValue) }
    }

    /// Sets the value at a path, making the objects on the way; every level changes in place
    /// (each is let go of by its parent while it changes, so it is not copied).
    private mutating func set(path: ArraySlice<String>, _ newValue: JSON?) {
        guard let first = path.first else {
            if let v = newValue { self = v }
            return
        }
        guard case .object(var o) = self else { return }
        self = .null
        if path.count == 1 {
            o[first] = newValue
        } else {
            var child = o[first] ?? .object(JSONObject())
            if child.object == nil { child = .object(JSONObject()) }
            if o[first] != nil { o[first] = .null }
            child.set(path: path.dropFirst(), newValue)
            o[first] = child
        }
        self = .object(o)
    }

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var o = JSONObject()
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
}
