extension LabelSelector {
    /// Parses the string syntax of `labels.Parse`: comma-separated `[!]key`, `key=v`, `key==v`,
    /// `key!=v`, `key in (a,b)`, `key notin (a)`, `key>1`, `key<1`. Errors carry Kubernetes' text.
    public init(parsing text: String) throws(SelectorError) {
        var parser = LabelSelectorParser(tokens: LabelSelectorLexer.tokens(of: text))
        self.init(requirements: try parser.parse())
    }
}

enum LabelToken: Equatable {
    case end, closePar, comma, not, doubleEquals, equals, greaterThan, identifier(String), `in`, lessThan
    case notEquals, notIn, openPar, error(String)

    var literal: String {
        switch self {
        case .end: return ""
        case .closePar: return ")"
        case .comma: return ","
        case .not: return "!"
        case .doubleEquals: return "=="
        case .equals: return "="
        case .greaterThan: return ">"
        case .identifier(let s), .error(let s): return s
        case .in: return "in"
        case .lessThan: return "<"
        case .notEquals: return "!="
        case .notIn: return "notin"
        case .openPar: return "("
        }
    }

    /// In value position the keywords `in` and `notin` are plain identifiers.
    var asValue: LabelToken {
        switch self {
        case .in, .notIn: return .identifier(literal)
        default: return self
        }
    }
}

enum LabelSelectorLexer {
    private static let symbols: [String: LabelToken] = [
        ")": .closePar, ",": .comma, "!": .not, "==": .doubleEquals, "=": .equals, ">": .greaterThan,
        "<": .lessThan, "!=": .notEquals, "(": .openPar,
    ]

    private static func isSpecial(_ c: Character) -> Bool { "=!(),><".contains(c) }
    private static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }

    static func tokens(of text: String) -> [LabelToken] {
        let s = Array(text)
        var i = 0
        var out: [LabelToken] = []
        while true {
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count else { out.append(.end); return out }
            if isSpecial(s[i]) {
                // Longest run of symbols that still names an operator ("!=" before "!").
                var buffer = ""
                var last: LabelToken?
                while i < s.count, isSpecial(s[i]) {
                    buffer.append(s[i])
                    if let t = symbols[buffer] {
                        last = t
                        i += 1
                    } else if last != nil {
                        break
                    } else {
                        i += 1
                    }
                }
                out.append(last ?? .error("error expected: keyword found '\(buffer)'"))
            } else {
                var word = ""
                while i < s.count, !isSpecial(s[i]), !isSpace(s[i]) { word.append(s[i]); i += 1 }
                out.append(word == "in" ? .in : word == "notin" ? .notIn : .identifier(word))
            }
        }
    }
}

struct LabelSelectorParser {
    var tokens: [LabelToken]
    var position = 0

    func peek() -> LabelToken { tokens[position].asValue }
    mutating func next() -> LabelToken { position += 1; return tokens[position - 1].asValue }
    mutating func nextOperator() -> LabelToken { position += 1; return tokens[position - 1] }

    mutating func parse() throws(SelectorError) -> [LabelRequirement] {
        var result: [LabelRequirement] = []
        while true {
            switch peek() {
            case .identifier, .not:
                do {
                    result.append(try requirement())
                } catch {
                    throw SelectorError("unable to parse requirement: \(error.message)")
                }
                let t = next()
                switch t {
                case .end: return result
                case .comma:
                    switch peek() {
                    case .identifier, .not: break
                    default: throw SelectorError("found '\(peek().literal)', expected: identifier after ','")
                    }
                default: throw SelectorError("found '\(t.literal)', expected: ',' or 'end of string'")
                }
            case .end:
                return result
            default:
                throw SelectorError("found '\(peek().literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func requirement() throws(SelectorError) -> LabelRequirement {
        var t = next()
        var negated = false
        if t == .not {
            negated = true
            t = next()
        }
        guard case .identifier(let key) = t else { throw SelectorError("found '\(t.literal)', expected: identifier") }
        let keyErrors = NameRules.isQualifiedName(key)
        if !keyErrors.isEmpty {
            throw SelectorError(FieldError.invalid("key", .string(key), keyErrors.joined(separator: "; ")).description)
        }
        if peek() == .end || peek() == .comma {
            return try LabelRequirement(key: key, op: negated ? .doesNotExist : .exists, values: [])
        }
        let opToken = nextOperator()
        let op: LabelRequirement.Operator
        switch opToken {
        case .in: op = .in
        case .notIn: op = .notIn
        case .equals: op = .equals
        case .doubleEquals: op = .doubleEquals
        case .notEquals: op = .notEquals
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        default:
            throw SelectorError("found '\(opToken.literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
        let values = op == .in || op == .notIn ? try valueSet() : try exactValue()
        return try LabelRequirement(key: key, op: op, values: values)
    }

    private mutating func valueSet() throws(SelectorError) -> [String] {
        let open = next()
        guard open == .openPar else { throw SelectorError("found '\(open.literal)' expected: '('") }
        switch peek() {
        case .identifier, .comma:
            let first = peek()
            let values = try identifiers()
            guard next() == .closePar else { throw SelectorError("found '\(first.literal)', expected: ')'") }
            return values
        case .closePar:
            _ = next()
            return [""]
        default:
            throw SelectorError("found '\(peek().literal)', expected: ',', ')' or identifier")
        }
    }

    /// A comma-separated list in which empty entries stand for the empty value, as a sorted set.
    private mutating func identifiers() throws(SelectorError) -> [String] {
        var set = Set<String>()
        while true {
            let t = next()
            switch t {
            case .identifier(let v):
                set.insert(v)
                switch peek() {
                case .comma: continue
                case .closePar: return set.sorted()
                default: throw SelectorError("found '\(peek().literal)', expected: ',' or ')'")
                }
            case .comma:
                if set.isEmpty { set.insert("") }
                if peek() == .closePar {
                    set.insert("")
                    return set.sorted()
                }
                if peek() == .comma {
                    _ = next()
                    set.insert("")
                }
            default:
                throw SelectorError("found '\(t.literal)', expected: ',', or identifier")
            }
        }
    }

    private mutating func exactValue() throws(SelectorError) -> [String] {
        if peek() == .end || peek() == .comma { return [""] }
        let t = next()
        guard case .identifier(let v) = t else { throw SelectorError("found '\(t.literal)', expected: identifier") }
        return [v]
    }
}
