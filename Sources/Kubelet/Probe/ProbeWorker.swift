import Foundation

/// One probe of one container, as a value-type state machine (the prober worker upstream). The
/// driver calls `tick` when `isDue`, runs the probe when told to (with the timeout), and feeds the
/// outcome to `record`. The worker never kills anything: it publishes results, and the pod worker's
/// next `computePodActions` acts on a liveness or startup failure.
public struct ProbeWorker: Sendable, Equatable {
    /// The container as the kubelet last saw it.
    public struct Observation: Sendable, Equatable {
        /// nil until the container has been created.
        public var containerID: String?
        /// When the running container started; nil when it is not running.
        public var runningSince: Date?
        public var terminated: Bool
        /// Past its startup probe (or it has none): gates liveness and readiness.
        public var started: Bool

        public init(containerID: String?, runningSince: Date? = nil, terminated: Bool = false, started: Bool = false) {
            self.containerID = containerID
            self.runningSince = runningSince
            self.terminated = terminated
            self.started = started
        }
    }

    public enum Action: Sendable, Equatable {
        /// The settled result for the current container changed: store it in `ProbeResults`.
        case publish(containerID: String, ProbeResult)
        /// Run the probe now, giving up after the timeout.
        case runProbe(timeout: Duration)
        /// A Warning event, reason Unhealthy: "Liveness probe failed: …".
        case unhealthy(message: String)
        /// A Warning event, reason ProbeWarning.
        case probeWarning(message: String)
        /// The container will never run again; drop the worker.
        case stop
    }

    public let kind: ProbeKind
    public let spec: ProbeSpec
    public let restartPolicy: PodSpecView.RestartPolicy
    public private(set) var containerID: String?
    public private(set) var published: ProbeResult?
    private var lastOutcome: ProbeResult?
    private var run = 0
    /// After a liveness or startup failure, wait for the replacement container.
    private var onHold = false
    private var lastTick: Date?

    public init(kind: ProbeKind, spec: ProbeSpec, restartPolicy: PodSpecView.RestartPolicy) {
        self.kind = kind
        self.spec = spec
        self.restartPolicy = restartPolicy
    }

    /// Readiness starts pessimistic, liveness optimistic, startup undecided.
    var initialResult: ProbeResult {
        switch kind {
        case .readiness: .failure
        case .liveness: .success
        case .startup: .unknown
        }
    }

    /// When the next tick is due: every `periodSeconds` after the previous one.
    public var nextDue: Date? { lastTick.map { $0.addingTimeInterval(Double(spec.periodSeconds)) } }

    public func isDue(_ now: Date) -> Bool { nextDue.map { now >= $0 } ?? true }

    public mutating func tick(_ c: Observation, now: Date) -> [Action] {
        lastTick = now
        guard let id = c.containerID else { return [] }
        var actions: [Action] = []
        if id != containerID {
            // A new instance: results of the old one no longer apply.
            containerID = id
            published = nil
            lastOutcome = nil
            run = 0
            onHold = false
            actions += publish(initialResult)
        }
        if onHold { return actions }
        guard let since = c.runningSince else {
            actions += publish(.failure)
            if c.terminated && restartPolicy == .never { actions.append(.stop) }
            return actions
        }
        if now.timeIntervalSince(since) < Double(spec.initialDelaySeconds) { return actions }
        // Startup runs until the container has started; the others only after.
        if (kind == .startup) == c.started { return actions }
        actions.append(.runProbe(timeout: .seconds(spec.timeoutSeconds)))
        return actions
    }

    public mutating func record(_ outcome: ProbeOutcome, now: Date) -> [Action] {
        guard containerID != nil else { return [] }
        var actions: [Action] = []
        switch outcome {
        case .success: break
        case .warning(let output): actions.append(.probeWarning(message: "\(kind.rawValue) probe warning: \(output)"))
        case .failure(let output): actions.append(.unhealthy(message: "\(kind.rawValue) probe failed: \(output)"))
        case .error(let message): actions.append(.unhealthy(message: "\(kind.rawValue) probe errored: \(message)"))
        }
        let result = outcome.result
        if result == lastOutcome { run += 1 } else { lastOutcome = result; run = 1 }
        let threshold = result == .failure ? spec.failureThreshold : spec.successThreshold
        // Below its threshold an outcome changes nothing yet.
        guard run >= threshold else { return actions }
        actions += publish(result)
        if result == .failure && kind != .readiness {
            onHold = true
            run = 0
        }
        return actions
    }

    private mutating func publish(_ result: ProbeResult) -> [Action] {
        guard let id = containerID, published != result else { return [] }
        published = result
        return [.publish(containerID: id, result)]
    }
}
