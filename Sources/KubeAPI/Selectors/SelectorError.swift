/// A label or field selector Kubernetes would refuse; the message is the one it reports
/// (the API server answers 400 BadRequest with it).
public struct SelectorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
