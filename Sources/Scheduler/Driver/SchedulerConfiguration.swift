/// Settings of a `Scheduler` (KubeSchedulerConfiguration's fields that apply here).
public struct SchedulerConfiguration: Sendable {
    public var profile: SchedulerProfile
    public var registry: PluginRegistry
    /// nil: adaptive (50% - nodes/125, at least 5%).
    public var percentageOfNodesToScore: Int?
    public var backoff: PodBackoff
    public var maxUnschedulableDuration: Duration
    /// How often backed-off pods are checked for expiry, and parked ones for the 5-minute limit.
    public var backoffFlushInterval: Duration
    public var unschedulableFlushInterval: Duration
    /// Bindings in flight at once; scheduling waits when this many are outstanding.
    public var maxConcurrentBinds: Int
    /// Seeds the tie-break between equally good nodes.
    public var seed: UInt64

    public init(profile: SchedulerProfile = .default, registry: PluginRegistry = .builtIn, percentageOfNodesToScore: Int? = nil,
                backoff: PodBackoff = PodBackoff(), maxUnschedulableDuration: Duration = .seconds(300),
                backoffFlushInterval: Duration = .seconds(1), unschedulableFlushInterval: Duration = .seconds(30),
                maxConcurrentBinds: Int = 64, seed: UInt64 = 0x5C1FF) {
        self.profile = profile
        self.registry = registry
        self.percentageOfNodesToScore = percentageOfNodesToScore
        self.backoff = backoff
        self.maxUnschedulableDuration = maxUnschedulableDuration
        self.backoffFlushInterval = backoffFlushInterval
        self.unschedulableFlushInterval = unschedulableFlushInterval
        self.maxConcurrentBinds = maxConcurrentBinds
        self.seed = seed
    }
}
