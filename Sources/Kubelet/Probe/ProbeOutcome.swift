/// What one run of a probe found, before thresholds apply.
public enum ProbeOutcome: Sendable, Equatable {
    case success
    /// Counted as success, reported with a ProbeWarning event (e.g. a redirect to another host).
    case warning(String)
    /// The check ran and said no: the output goes into the Unhealthy event.
    case failure(String)
    /// The check could not run (exec failed to start, the runtime errored).
    case error(String)

    /// An HTTP probe's verdict on a response: 2xx and 3xx pass.
    public static func http(statusCode: Int) -> ProbeOutcome {
        (200..<400).contains(statusCode) ? .success : .failure("HTTP probe failed with statuscode: \(statusCode)")
    }

    var result: ProbeResult {
        switch self {
        case .success, .warning: .success
        case .failure, .error: .failure
        }
    }
}
