/// A field selector (`fieldSelector=metadata.name=x,status.phase!=Running`): the AND of exact
/// and negated matches. Values may escape `\`, `,` and `=` with a backslash.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    public struct Requirement: Sendable, Hashable {
        public enum Operator: String, Sendable, Hashable {
            case equals = "="
            case doubleEquals = "=="
            case notEquals = "!="
        }

        public var field: String
        public var op: Operator
        public var value: String
    }

    public private(set) var requirements: [Requirement]

    public static let everything = FieldSelector(requirements: [])

    public init(requirements: [Requirement]) { self.requirements = requirements }

    public init(parsing text: String) throws(SelectorError) {
        var reqs: [Requirement] = []
        // Kubernetes sorts the terms so that equal selectors compare equal.
        for term in Self.splitTerms(text).sorted() where !term.isEmpty {
            guard let (lhs, op, rhs) = Self.splitTerm(term) else {
                throw SelectorError("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            reqs.append(Requirement(field: lhs, op: op, value: try Self.unescape(rhs)))
        }
        self.requirements = reqs
    }

    public var isEverything: Bool { requirements.isEmpty }

    /// A field the object does not have counts as "", so `metadata.namespace=` selects
    /// cluster-scoped objects.
    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            let v = fields[r.field] ?? ""
            return r.op == .notEquals ? v != r.value : v == r.value
        }
    }

    public var description: String {
        requirements.map { "\($0.field)\($0.op.rawValue)\(Self.escape($0.value))" }.joined(separator: ",")
    }

    static func escape(_ v: String) -> String {
        var out = ""
        for c in v {
            if c == "\\" || c == "," || c == "=" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Splits on commas that are not escaped.
    static func splitTerms(_ s: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var escaped = false
        for c in s {
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," {
                terms.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        terms.append(current)
        return terms
    }

    /// Splits at the first unescaped operator, trying `!=` and `==` before `=`.
    static func splitTerm(_ term: String) -> (String, Requirement.Operator, String)? {
        let chars = Array(term)
        var escaped = false
        for i in chars.indices {
            if escaped { escaped = false; continue }
            if chars[i] == "\\" { escaped = true; continue }
            for op in [Requirement.Operator.notEquals, .doubleEquals, .equals] {
                let o = Array(op.rawValue)
                if i + o.count <= chars.count, Array(chars[i..<(i + o.count)]) == o {
                    return (String(chars[..<i]), op, String(chars[(i + o.count)...]))
                }
            }
        }
        return nil
    }

    static func unescape(_ s: String) throws(SelectorError) -> String {
        guard s.contains("\\") || s.contains(",") || s.contains("=") else { return s }
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                guard c == "\\" || c == "," || c == "=" else {
                    throw SelectorError("invalid field selector: invalid escape sequence: \\\(c)")
                }
                out.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," || c == "=" {
                throw SelectorError("invalid field selector: unescaped character in value: \(c)")
            } else {
                out.append(c)
            }
        }
        if escaped { throw SelectorError("invalid field selector: invalid escape sequence: \\") }
        return out
    }
}
