import Foundation

/// Checks an object's shape against the schema: fields the schema does not know (what
/// `fieldValidation=Strict` rejects as `unknown field "spec.containers[0].imagee"`), values of the
/// wrong JSON type, and missing required fields of nested definitions.
public enum SchemaValidation {
    public static func check(_ obj: JSON, definition: TypeSchema, schema: Schema)
        -> (unknownFields: [String], typeErrors: [FieldError])
    {
        var walker = Walker(schema: schema)
        walker.visit(obj, type: .ref(definition.name), path: "")
        return (walker.unknown, walker.errors)
    }

    private struct Walker {
        let schema: Schema
        var unknown: [String] = []
        var errors: [FieldError] = []

        mutating func visit(_ v: JSON, type: FieldType, path: String) {
            if v.isNull { return }
            switch type {
            case .any:
                return
            case .string, .time:
                if v.string == nil { mismatch(v, "string", path) }
            case .bytes:
                if let s = v.string {
                    if Data(base64Encoded: s) == nil {
                        errors.append(.invalid(path, .string(s), "illegal base64 data"))
                    }
                } else {
                    mismatch(v, "string", path)
                }
            case .integer:
                if v.int == nil { mismatch(v, "integer", path) }
            case .number:
                if v.double == nil { mismatch(v, "number", path) }
            case .boolean:
                if v.bool == nil { mismatch(v, "boolean", path) }
            case .intOrString:
                if v.string == nil && v.int == nil { mismatch(v, "integer or string", path) }
            case .quantity:
                guard v.string != nil || v.double != nil else { return mismatch(v, "string or number", path) }
                do { _ = try Quantity(json: v) } catch { errors.append(.invalid(path, v, error.description)) }
            case .list(let element):
                guard let items = v.array else { return mismatch(v, "array", path) }
                for (i, item) in items.enumerated() { visit(item, type: element, path: "\(path)[\(i)]") }
            case .map(let element):
                guard let o = v.object else { return mismatch(v, "object", path) }
                for (k, item) in o { visit(item, type: element, path: "\(path)[\(k)]") }
            case .ref(let name):
                guard let o = v.object else { return mismatch(v, "object", path) }
                guard let def = schema.definition(named: name) else { return }
                for (k, item) in o {
                    let child = path.isEmpty ? k : "\(path).\(k)"
                    guard let f = def.fields[k] else {
                        unknown.append(child)
                        continue
                    }
                    visit(item, type: f.type, path: child)
                }
                for r in def.required where o[r] == nil || o[r]?.isNull == true {
                    errors.append(.required(path.isEmpty ? r : "\(path).\(r)"))
                }
            }
        }

        /// Worded as the API server words schema type errors.
        mutating func mismatch(_ v: JSON, _ expected: String, _ path: String) {
            errors.append(FieldError(.typeInvalid, field: path,
                message: "Invalid value: \"\(v.typeName)\": \(path) in body must be of type \(expected): \"\(v.typeName)\""))
        }
    }
}
