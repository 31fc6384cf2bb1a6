/// The outcome the prober last settled on for a container (results.Result upstream).
public enum ProbeResult: Sendable, Equatable {
    case success, failure, unknown
}

/// The settled probe results of the node's containers, by container ID and probe kind.
/// A missing entry means the probe has not settled yet for this container instance.
public struct ProbeResults: Sendable, Equatable {
    private var results: [String: [ProbeKind: ProbeResult]] = [:]

    public init() {}

    public subscript(kind: ProbeKind, containerID: String) -> ProbeResult? {
        get { results[containerID]?[kind] }
        set { results[containerID, default: [:]][kind] = newValue }
    }

    /// Forgets a container instance that no longer exists.
    public mutating func remove(containerID: String) { results[containerID] = nil }
}
