/// One term of a label selector: a key, an operator and its values.
public struct LabelRequirement: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case `in` = "in"
        case notIn = "notin"
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
        case greaterThan = "gt"
        case lessThan = "lt"
        case exists = "exists"
        case doesNotExist = "!"
    }

    public var key: String
    public var op: Operator
    public var values: [String]

    /// Builds a requirement with Kubernetes' checks (`labels.NewRequirement`): a qualified-name
    /// key, the right number of values for the operator, valid label values.
    public init(key: String, op: Operator, values: [String]) throws(SelectorError) {
        var errs: [FieldError] = []
        for m in NameRules.isQualifiedName(key) { errs.append(.invalid("key", .string(key), m)) }
        let valuesJSON = JSON.array(values.map { .string($0) })
        switch op {
        case .in, .notIn:
            if values.isEmpty { errs.append(.invalid("values", valuesJSON, "for 'in', 'notin' operators, values set can't be empty")) }
        case .equals, .doubleEquals, .notEquals:
            if values.count != 1 { errs.append(.invalid("values", valuesJSON, "exact-match compatibility requires one single value")) }
        case .exists, .doesNotExist:
            if !values.isEmpty { errs.append(.invalid("values", valuesJSON, "values set must be empty for exists and does not exist")) }
        case .greaterThan, .lessThan:
            if values.count != 1 { errs.append(.invalid("values", valuesJSON, "for 'Gt', 'Lt' operators, exactly one value is required")) }
            for (i, v) in values.enumerated() where Int64(v) == nil {
                errs.append(.invalid("values[\(i)]", .string(v), "for 'Gt', 'Lt' operators, the value must be an integer"))
            }
        }
        for (i, v) in values.enumerated() {
            let m = NameRules.isValidLabelValue(v)
            if !m.isEmpty { errs.append(.invalid("values[\(i)][\(key)]", .string(v), m.joined(separator: "; "))) }
        }
        if !errs.isEmpty { throw SelectorError(Self.aggregate(errs)) }
        self.key = key
        self.op = op
        self.values = values
    }

    /// Go's aggregate error text: one message alone, several in brackets.
    static func aggregate(_ errs: [FieldError]) -> String {
        errs.count == 1 ? errs[0].description : "[" + errs.map(\.description).joined(separator: ", ") + "]"
    }

    public func matches(_ labels: [String: String]) -> Bool {
        let value = labels[key]
        switch op {
        case .in, .equals, .doubleEquals:
            return value.map(values.contains) ?? false
        case .notIn, .notEquals:
            return value.map { !values.contains($0) } ?? true
        case .exists:
            return value != nil
        case .doesNotExist:
            return value == nil
        case .greaterThan, .lessThan:
            guard let v = value.flatMap({ Int64($0) }), values.count == 1, let bound = Int64(values[0]) else { return false }
            return op == .greaterThan ? v > bound : v < bound
        }
    }

    /// The string form Kubernetes prints (`a in (x,y)`, `!a`, `a!=b`), values sorted.
    public var description: String {
        let vs = values.count == 1 ? values[0] : values.sorted().joined(separator: ",")
        switch op {
        case .exists: return key
        case .doesNotExist: return "!" + key
        case .in: return "\(key) in (\(vs))"
        case .notIn: return "\(key) notin (\(vs))"
        case .greaterThan: return "\(key)>\(vs)"
        case .lessThan: return "\(key)<\(vs)"
        case .equals, .doubleEquals, .notEquals: return key + op.rawValue + vs
        }
    }
}
