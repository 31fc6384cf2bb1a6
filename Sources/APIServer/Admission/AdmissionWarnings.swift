import Synchronization

/// Warnings admission adds to a response (the `Warning: 299` headers kubectl prints).
public final class AdmissionWarnings: Sendable {
    private let items = Mutex<[String]>([])

    public init() {}

    public func add(_ warning: String) { items.withLock { $0.append(warning) } }
    public var all: [String] { items.withLock { $0 } }

    /// The collector of the request being served, if any.
    @TaskLocal public static var current: AdmissionWarnings?
}
