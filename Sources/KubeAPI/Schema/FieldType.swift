/// The type of one field, as the Kubernetes OpenAPI schema gives it.
public indirect enum FieldType: Sendable, Equatable {
    case string, integer, number, boolean, bytes, time, quantity, intOrString, any
    case ref(String)
    case list(FieldType)
    case map(FieldType)

    init?(code: Substring) {
        guard let c = code.first else { return nil }
        let rest = code.dropFirst()
        switch c {
        case "s": self = .string
        case "i": self = .integer
        case "n": self = .number
        case "b": self = .boolean
        case "y": self = .bytes
        case "t": self = .time
        case "q": self = .quantity
        case "x": self = .intOrString
        case "a": self = .any
        case "@": self = .ref(String(rest))
        case "[":
            guard let e = FieldType(code: rest) else { return nil }
            self = .list(e)
        case "{":
            guard let e = FieldType(code: rest) else { return nil }
            self = .map(e)
        default: return nil
        }
    }
}
