/// Which plugins run, in which order, and how much each score counts
/// (KubeSchedulerProfile upstream, reduced to what this scheduler implements).
public struct SchedulerProfile: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        /// Multiplies the plugin's normalised score; unused for plugins that do not score.
        public var weight: Int64

        public init(_ name: String, weight: Int64 = 1) {
            self.name = name
            self.weight = weight
        }
    }

    public var schedulerName: String
    /// Filter order matters: a node's failure is reported by the first plugin that rejects it.
    public var plugins: [Entry]

    public init(schedulerName: String = "default-scheduler", plugins: [Entry]) {
        self.schedulerName = schedulerName
        self.plugins = plugins
    }

    /// kube-scheduler's default order and score weights (default_plugins.go), for the plugins we
    /// have; NodeReady sits after TaintToleration so a tainted node reports its taint, as upstream.
    public static let `default` = SchedulerProfile(plugins: [
        Entry(NodeUnschedulable.name),
        Entry(NodeName.name),
        Entry(TaintToleration.name, weight: 3),
        Entry(NodeReady.name),
        Entry(NodeAffinity.name, weight: 2),
        Entry(NodePorts.name),
        Entry(VolumeBinding.name),
        Entry(NodeResourcesFit.name, weight: 1),
        Entry(BalancedAllocation.name, weight: 1),
    ])
}
