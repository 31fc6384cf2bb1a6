extension Quantity {
    /// Reads a quantity the way Kubernetes decodes one: a string (surrounding spaces ignored)
    /// or a JSON number.
    public init(json: JSON) throws(QuantityError) {
        switch json {
        case .string(let s): try self.init(parsing: s.trimmingSpaces)
        case .int(let i): try self.init(parsing: String(i))
        case .double(let d): try self.init(parsing: String(d))
        default: throw .formatWrong
        }
    }

    public var json: JSON { .string(string) }

    /// The serialized form of a quantity value as Kubernetes would store it; `null` stays `null`.
    public static func canonicalize(_ json: JSON) throws(QuantityError) -> JSON {
        if json.isNull { return json }
        return try Quantity(json: json).json
    }

    /// Rewrites every quantity-typed field in `object` (resources, capacity, hard limits, ...)
    /// into its serialized form, following the schema. Throws the first bad value with its path.
    public static func canonicalizeFields(
        in object: inout JSON, definition: TypeSchema, schema: Schema
    ) throws(QuantityFieldError) {
        try canonicalize(&object, type: .ref(definition.name), schema: schema, path: "")
    }

    private static func canonicalize(
        _ value: inout JSON, type: FieldType, schema: Schema, path: String
    ) throws(QuantityFieldError) {
        switch (type, value) {
        case (.quantity, .null):
            return
        case (.quantity, _):
            do { value = try canonicalize(value) } catch { throw QuantityFieldError(field: path, error: error) }
        case (.ref(let name), .object(var o)):
            guard let def = schema.definition(named: name) else { return }
            for key in o.keys {
                guard let f = def.fields[key], var child = o[key] else { continue }
                try canonicalize(&child, type: f.type, schema: schema, path: path.isEmpty ? key : "\(path).\(key)")
                o[key] = child
            }
            value = .object(o)
        case (.list(let element), .array(var items)):
            for i in items.indices {
                try canonicalize(&items[i], type: element, schema: schema, path: "\(path)[\(i)]")
            }
            value = .array(items)
        case (.map(let element), .object(var o)):
            for key in o.keys {
                guard var child = o[key] else { continue }
                try canonicalize(&child, type: element, schema: schema, path: "\(path)[\(key)]")
                o[key] = child
            }
            value = .object(o)
        default:
            return
        }
    }
}

/// A bad quantity found at a field path while canonicalizing an object.
public struct QuantityFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var error: QuantityError
    public var description: String { "\(field): \(error)" }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
