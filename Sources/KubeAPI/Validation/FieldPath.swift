/// Builds the field paths Kubernetes prints in causes: `spec.containers[0].name`, `data[key]`.
struct FieldPath: Sendable, CustomStringConvertible {
    var description: String

    init(_ root: String) { description = root }

    func child(_ name: String) -> FieldPath { FieldPath(description.isEmpty ? name : "\(description).\(name)") }
    func index(_ i: Int) -> FieldPath { FieldPath("\(description)[\(i)]") }
    func key(_ k: String) -> FieldPath { FieldPath("\(description)[\(k)]") }
}

extension FieldError {
    static func nonNegative(_ field: String, _ value: Int64) -> FieldError {
        .invalid(field, .int(value), "must be greater than or equal to 0")
    }
}
