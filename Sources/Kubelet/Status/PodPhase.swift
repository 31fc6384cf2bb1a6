public enum PodPhase: String, Sendable, Equatable {
    case pending = "Pending", running = "Running", succeeded = "Succeeded", failed = "Failed", unknown = "Unknown"

    public var isTerminal: Bool { self == .succeeded || self == .failed }

    /// The phase the kubelet reports for these container statuses (getPhase upstream). Regular init
    /// containers gate Pending; sidecars count like app containers but never make a pod fail or
    /// succeed; `podIsTerminal` (all stopped for good, e.g. after deletion) decides by exit codes alone.
    public static func of(pod: PodSpecView, initStatuses: [ContainerStatus], statuses: [ContainerStatus],
                          podIsTerminal: Bool = false) -> PodPhase {
        func status(_ name: String, in list: [ContainerStatus]) -> ContainerStatus? { list.first { $0.name == name } }

        var pendingInit = 0
        var failedInit = 0
        var pendingSidecars = 0
        var unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0

        for spec in pod.initContainers where !spec.isSidecar {
            guard let s = status(spec.name, in: initStatuses) else { pendingInit += 1; continue }
            switch s.state {
            case .running: pendingInit += 1
            case .terminated(let t): if t.exitCode != 0 { failedInit += 1 }
            case .waiting:
                if let last = s.lastState { if last.exitCode != 0 { failedInit += 1 } } else { pendingInit += 1 }
            }
        }
        for spec in pod.initContainers where spec.isSidecar {
            guard let s = status(spec.name, in: initStatuses) else { unknown += 1; continue }
            switch s.state {
            case .running:
                if !s.started { pendingSidecars += 1 }
                running += 1
            case .terminated: break
            case .waiting:
                if s.lastState == nil { pendingSidecars += 1; waiting += 1 }
            }
        }
        for spec in pod.containers {
            guard let s = status(spec.name, in: statuses) else { unknown += 1; continue }
            switch s.state {
            case .running: running += 1
            case .terminated(let t):
                stopped += 1
                if t.exitCode == 0 { succeeded += 1 }
            case .waiting:
                if s.lastState != nil { stopped += 1 } else { waiting += 1 }
            }
        }

        if failedInit > 0 && pod.restartPolicy == .never { return .failed }
        // Restarting sidecars do not send an initialized pod back to Pending.
        if pendingInit > 0 || (pendingSidecars > 0 && !anyRegularStarted(pod, statuses)) || waiting > 0 { return .pending }
        if running > 0 && unknown == 0 { return .running }
        if running == 0 && stopped > 0 && unknown == 0 {
            if podIsTerminal { return stopped == succeeded ? .succeeded : .failed }
            if pod.restartPolicy == .always { return .running }
            if stopped == succeeded { return .succeeded }
            return pod.restartPolicy == .never ? .failed : .running
        }
        return .pending
    }

    /// Whether any app container has run (HasAnyRegularContainerStarted upstream).
    static func anyRegularStarted(_ pod: PodSpecView, _ statuses: [ContainerStatus]) -> Bool {
        pod.containers.contains { spec in
            guard let s = statuses.first(where: { $0.name == spec.name }) else { return false }
            switch s.state {
            case .running, .terminated: return true
            case .waiting: return s.lastState != nil
            }
        }
    }
}
