/// One validation failure, in the shape Kubernetes reports as a `Status` cause:
/// kubectl prints `* <field>: <message>`.
public struct FieldError: Sendable, Equatable, Error, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case required = "FieldValueRequired"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case duplicate = "FieldValueDuplicate"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case typeInvalid = "FieldValueTypeInvalid"
        case unknownField = "FieldValueUnknown"
        case notFound = "FieldValueNotFound"
    }

    public var kind: Kind
    /// Dotted path with list indices, e.g. `spec.containers[0].image`.
    public var field: String
    /// The full cause message, e.g. `Required value` or `Invalid value: "X": must be ...`.
    public var message: String

    public init(_ kind: Kind, field: String, message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }

    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(.required, field: field, message: detail.isEmpty ? "Required value" : "Required value: \(detail)")
    }

    public static func invalid(_ field: String, _ value: JSON, _ detail: String) -> FieldError {
        FieldError(.invalid, field: field, message: "Invalid value: \(Self.render(value)): \(detail)")
    }

    public static func notSupported(_ field: String, _ value: JSON, _ supported: [String]) -> FieldError {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return FieldError(.notSupported, field: field, message: "Unsupported value: \(Self.render(value)): supported values: \(list)")
    }

    public static func duplicate(_ field: String, _ value: JSON) -> FieldError {
        FieldError(.duplicate, field: field, message: "Duplicate value: \(Self.render(value))")
    }

    public static func notFound(_ field: String, _ value: JSON) -> FieldError {
        FieldError(.notFound, field: field, message: "Not found: \(Self.render(value))")
    }

    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(.forbidden, field: field, message: "Forbidden: \(detail)")
    }

    public static func tooLong(_ field: String, _ max: Int) -> FieldError {
        FieldError(.tooLong, field: field, message: "Too long: may not be more than \(max) bytes")
    }

    /// Values are shown as Go's %#v would for the common cases: quoted strings, bare numbers.
    static func render(_ v: JSON) -> String {
        switch v {
        case .string(let s): return "\"\(s)\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        default: return v.text
        }
    }
}
