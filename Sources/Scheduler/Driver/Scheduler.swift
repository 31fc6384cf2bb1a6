import KubeAPI
import Logging

/// kube-scheduler: watches pods and nodes, schedules each unassigned pod that names this
/// profile's scheduler, binds it, and reports pods that fit nowhere.
///
/// Decisions happen on the actor, one pod at a time, against the node cache; bindings and
/// status reports run concurrently off it. `run()` returns when the event stream ends.
public actor Scheduler {
    let api: any SchedulerAPI
    let configuration: SchedulerConfiguration
    let logger: Logger
    let now: @Sendable () -> Duration
    let sleep: @Sendable (Duration) async throws -> Void

    var cache = NodeCache()
    var queue: SchedulingQueue
    var algorithm: ScheduleAlgorithm
    /// Pods we placed whose binding call is still out, with what is needed to retry them.
    var binding: [String: Binding] = [:]
    /// Every pod uid we track (queued, binding or in the cache), to spot deletions in a relist.
    var knownPods: Set<String> = []
    /// The last Unschedulable message written per pod, so a repeat is not written again.
    var reportedMessages: [String: String] = [:]
    var listed: Set<ClusterEvent.Kind> = []
    let volumes: VolumeState
    var workWaiter: CheckedContinuation<Void, Never>?
    var bindSlotWaiter: CheckedContinuation<Void, Never>?
    var lastLeftoverFlush: Duration = .zero
    public internal(set) var scheduledCount = 0
    public internal(set) var failedAttempts = 0

    struct Binding {
        var pod: PodInfo
        var json: JSON
        var attempts: Int
        var node: String
    }

    public init<C: Clock>(api: any SchedulerAPI, configuration: SchedulerConfiguration = SchedulerConfiguration(),
                          clock: C, logger: Logger) throws(SchedulingFramework.UnknownPlugin) where C.Duration == Duration {
        self.api = api
        self.configuration = configuration
        self.logger = logger
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        sleep = { try await clock.sleep(for: $0) }
        let volumes = VolumeState()
        self.volumes = volumes
        var registry = configuration.registry
        registry.register(VolumeBinding.name) { VolumeBinding(state: volumes) }
        queue = SchedulingQueue(backoff: configuration.backoff, maxUnschedulableDuration: configuration.maxUnschedulableDuration)
        algorithm = ScheduleAlgorithm(framework: try SchedulingFramework(profile: configuration.profile, registry: registry),
                                      percentageOfNodesToScore: configuration.percentageOfNodesToScore, seed: configuration.seed)
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.consumeEvents() }
            group.addTask { await self.scheduleLoop() }
            group.addTask { await self.flushLoop() }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Counts of pods per queue set, for tests and status pages.
    public func queueCounts() -> [SchedulingQueue.Location: Int] {
        var out: [SchedulingQueue.Location: Int] = [:]
        for l in [SchedulingQueue.Location.active, .backoff, .unschedulable, .inFlight] { out[l] = queue.count(in: l) }
        return out
    }

    func consumeEvents() async throws {
        for try await event in api.events() { apply(event) }
        logger.info("scheduler event stream ended")
    }

    func flushLoop() async {
        while !Task.isCancelled {
            do { try await sleep(configuration.backoffFlushInterval) } catch { return }
            flush()
        }
    }

    func flush() {
        let t = now()
        queue.flushBackoffCompleted(now: t)
        if t - lastLeftoverFlush >= configuration.unschedulableFlushInterval {
            lastLeftoverFlush = t
            queue.flushUnschedulableLeftover(now: t)
        }
        wakeScheduler()
    }
}
