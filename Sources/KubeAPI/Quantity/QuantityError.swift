/// Why a quantity string was rejected, with the texts Kubernetes uses.
public enum QuantityError: Error, Sendable, Equatable, CustomStringConvertible {
    case formatWrong
    case numeric
    case suffix

    public static let pattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"

    public var description: String {
        switch self {
        case .formatWrong: return "quantities must match the regular expression '\(Self.pattern)'"
        case .numeric: return "unable to parse numeric part of quantity"
        case .suffix: return "unable to parse quantity's suffix"
        }
    }
}
