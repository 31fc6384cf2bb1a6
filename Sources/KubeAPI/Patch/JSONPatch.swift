/// RFC 6902 JSON Patch (`application/json-patch+json`): a list of add, remove, replace, move,
/// copy and test operations applied in order; any failure rejects the whole patch.
public enum JSONPatch {
    public static func apply(_ ops: JSON, to document: JSON) throws(PatchError) -> JSON {
        guard let list = ops.array else { throw PatchError("json patch must be a JSON array of operations") }
        var doc = document
        for (n, op) in list.enumerated() {
            guard op.object != nil else { throw PatchError("json patch operation \(n) is not an object") }
            try apply(op: op, to: &doc)
        }
        return doc
    }

    private static func pointer(_ op: JSON, _ key: String) throws(PatchError) -> JSONPointer {
        guard let s = op[key]?.string else {
            throw PatchError("missing \(key) in json patch operation \(op.text)")
        }
        return try JSONPointer(s)
    }

    private static func value(_ op: JSON) throws(PatchError) -> JSON {
        guard let v = op["value"] else { throw PatchError("missing value in json patch operation \(op.text)") }
        return v
    }

    private static func apply(op: JSON, to doc: inout JSON) throws(PatchError) {
        let name = op["op"]?.string ?? ""
        let path = try pointer(op, "path")
        switch name {
        case "add":
            try add(try value(op), at: path, in: &doc)
        case "remove":
            _ = try remove(at: path, in: &doc)
        case "replace":
            _ = try get(path, in: doc)
            try set(try value(op), at: path, in: &doc)
        case "move":
            let from = try pointer(op, "from")
            if from.isPrefix(of: path) { throw PatchError("cannot move \(from.text) into its own child \(path.text)") }
            let moved = try remove(at: from, in: &doc)
            try add(moved, at: path, in: &doc)
        case "copy":
            try add(try get(try pointer(op, "from"), in: doc), at: path, in: &doc)
        case "test":
            let expected = try value(op)
            let actual = try? get(path, in: doc)
            guard let actual, actual.sameValue(as: expected) else {
                throw PatchError("testing value \(path.text) failed")
            }
        default:
            throw PatchError("unexpected kind of json patch operation: \"\(name)\"")
        }
    }

    static func get(_ p: JSONPointer, in doc: JSON) throws(PatchError) -> JSON {
        var cur = doc
        for t in p.tokens {
            switch cur {
            case .object(let o):
                guard let v = o[t] else { throw PatchError("path \(p.text) does not exist") }
                cur = v
            case .array(let a):
                cur = a[try JSONPointer.index(t, count: a.count, forInsert: false)]
            default:
                throw PatchError("path \(p.text) does not exist")
            }
        }
        return cur
    }

    /// Calls `body` with the container that holds the pointer's last token.
    private static func withParent(
        of p: JSONPointer, in doc: inout JSON, _ body: (inout JSON, String) throws(PatchError) -> Void
    ) throws(PatchError) {
        guard let last = p.tokens.last else { return }
        try walk(&doc, p.tokens.dropLast()[...], p, last, body)
    }

    private static func walk(
        _ node: inout JSON, _ rest: ArraySlice<String>, _ p: JSONPointer, _ last: String,
        _ body: (inout JSON, String) throws(PatchError) -> Void
    ) throws(PatchError) {
        guard let t = rest.first else {
            try body(&node, last)
            return
        }
        switch node {
        case .object(var o):
            guard var child = o[t] else { throw PatchError("path \(p.text) does not exist") }
            try walk(&child, rest.dropFirst(), p, last, body)
            o[t] = child
            node = .object(o)
        case .array(var a):
            let i = try JSONPointer.index(t, count: a.count, forInsert: false)
            try walk(&a[i], rest.dropFirst(), p, last, body)
            node = .array(a)
        default:
            throw PatchError("path \(p.text) does not exist")
        }
    }

    private static func add(_ v: JSON, at p: JSONPointer, in doc: inout JSON) throws(PatchError) {
        try put(v, at: p, in: &doc, insert: true)
    }

    private static func set(_ v: JSON, at p: JSONPointer, in doc: inout JSON) throws(PatchError) {
        try put(v, at: p, in: &doc, insert: false)
    }

    /// Writes `v` at `p`: into an array, `insert` adds an element (add), otherwise replaces one.
    private static func put(_ v: JSON, at p: JSONPointer, in doc: inout JSON, insert: Bool) throws(PatchError) {
        if p.tokens.isEmpty {
            doc = v
            return
        }
        try withParent(of: p, in: &doc) { (parent: inout JSON, key: String) throws(PatchError) in
            switch parent {
            case .object(var o):
                o[key] = v
                parent = .object(o)
            case .array(var a):
                let i = try JSONPointer.index(key, count: a.count, forInsert: insert)
                if insert { a.insert(v, at: i) } else { a[i] = v }
                parent = .array(a)
            default:
                throw PatchError("path \(p.text) does not exist")
            }
        }
    }

    private static func remove(at p: JSONPointer, in doc: inout JSON) throws(PatchError) -> JSON {
        let old = try get(p, in: doc)
        if p.tokens.isEmpty { throw PatchError("cannot remove the whole document") }
        try withParent(of: p, in: &doc) { (parent: inout JSON, key: String) throws(PatchError) in
            switch parent {
            case .object(var o):
                o[key] = nil
                parent = .object(o)
            case .array(var a):
                a.remove(at: try JSONPointer.index(key, count: a.count, forInsert: false))
                parent = .array(a)
            default:
                throw PatchError("path \(p.text) does not exist")
            }
        }
        return old
    }
}
