/// What a plugin says about a pod on a node (framework.Status upstream).
public struct PluginStatus: Sendable, Hashable {
    public enum Code: Sendable, Hashable {
        case success
        /// The node does not fit now, but may after the cluster changes (e.g. preemption, freed resources).
        case unschedulable
        /// The node cannot fit this pod whatever else changes on it.
        case unschedulableAndUnresolvable
        case error
        /// From PreFilter only: the plugin has nothing to check for this pod, so its Filter is skipped.
        case skip
    }

    public var code: Code
    /// Short reasons, aggregated into the "0/N nodes are available" message.
    public var reasons: [String]
    /// The plugin that produced a non-success status.
    public var plugin: String

    public init(_ code: Code, _ reasons: [String] = [], plugin: String = "") {
        self.code = code
        self.reasons = reasons
        self.plugin = plugin
    }

    public static let success = PluginStatus(.success)
    public static let skip = PluginStatus(.skip)

    public var isSuccess: Bool { code == .success }

    /// How an Error status reads in events (`running <point> plugin "<name>": <reasons>` upstream).
    var errorMessage: String { "running plugin \"\(plugin)\": \(reasons.joined(separator: ", "))" }
}
