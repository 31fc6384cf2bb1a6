/// A patch that cannot be applied; the API server reports it as 422 (malformed operations) or
/// 400 (undecodable patch) with this message.
public struct PatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension JSON {
    /// Equality as JSON means it: numbers compare by value whether written as 1 or 1.0.
    func sameValue(as other: JSON) -> Bool {
        switch (self, other) {
        case (.int, .double), (.double, .int): return double == other.double
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { e in b[e.key].map { e.value.sameValue(as: $0) } ?? false }
        default: return self == other
        }
    }
}
