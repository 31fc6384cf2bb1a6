import Synchronization

/// Warnings admission adds to a response (the `Warning: 299` headers kubectl prints), and
/// annotations it adds to the request's audit event.
public final class AdmissionWarnings: Sendable {
    private let items = Mutex<[String]>([])
    private let notes = Mutex<[String: String]>([:])

    public init() {}

    public func add(_ warning: String) { items.withLock { $0.append(warning) } }
    public var all: [String] { items.withLock { $0 } }

    public func annotate(_ key: String, _ value: String) { notes.withLock { $0[key] = value } }
    public var auditAnnotations: [String: String] { notes.withLock { $0 } }

    /// The collector of the request being served, if any.
    @TaskLocal public static var current: AdmissionWarnings?
}
