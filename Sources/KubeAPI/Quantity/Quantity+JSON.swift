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
    /// Only the parts of the object whose types can hold a quantity are visited, and they are
    /// changed in place (see `Schema.mayHoldQuantity`): this runs on every write.
    public static func canonicalizeFields(
        in object: inout JSON, definition: TypeSchema, schema: Schema
    ) throws(QuantityFieldError) {
        try canonicalize(&object, type: .ref(definition.name), schema: schema)
    }

    private static func canonicalize(_ value: inout JSON, type: FieldType, schema: Schema) throws(QuantityFieldError) {
        switch (type, value) {
        case (.quantity, .null):
            return
        case (.quantity, _):
            do { value = try canonicalize(value) } catch { throw QuantityFieldError(field: "", error: error) }
        case (.ref(let name), .object(var o)):
            guard schema.mayHoldQuantity(type), let def = schema.definition(named: name) else { return }
            value = .null  // `o` is now the only reference to the members, so they change in place
            defer { value = .object(o) }
            for key in o.keys {
                guard let f = def.fields[key], schema.mayHoldQuantity(f.type) else { continue }
                do { try canonicalize(&o[key]!, type: f.type, schema: schema) } catch { throw error.inside(key) }
            }
        case (.list(let element), .array(var items)):
            guard schema.mayHoldQuantity(element) else { return }
            value = .null
            defer { value = .array(items) }
            for i in items.indices {
                do { try canonicalize(&items[i], type: element, schema: schema) } catch { throw error.inside("[\(i)]") }
            }
        case (.map(let element), .object(var o)):
            guard schema.mayHoldQuantity(element) else { return }
            value = .null
            defer { value = .object(o) }
            for key in o.keys {
                do { try canonicalize(&o[key]!, type: element, schema: schema) } catch { throw error.inside("[\(key)]") }
            }
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

    /// The same error seen from the object that holds `step` (a key, or "[index]"): the path is
    /// built only when there is an error, on the way out.
    func inside(_ step: String) -> QuantityFieldError {
        let rest = field.isEmpty || field.hasPrefix("[") ? field : "." + field
        return QuantityFieldError(field: step + rest, error: error)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
