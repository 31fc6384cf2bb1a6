/// Turns runtime containers into API container statuses for one list (init or regular) of a pod
/// (convertToAPIContainerStatuses upstream).
struct ContainerStatusConverter {
    let pod: PodSpecView
    let runtime: RuntimePodState
    let startFailures: [String: ContainerStartFailure]
    let probes: ProbeResults

    func statuses(for specs: [ContainerSpec], old: [String: ContainerStatus]) -> [ContainerStatus] {
        let defaultReason = pod.initContainers.isEmpty ? WaitingReason.containerCreating : .podInitializing
        let planner = PodActionsPlanner(pod: pod, runtime: runtime, probes: probes)
        return specs.map { spec in
            var status = ContainerStatus(name: spec.name, state: .waiting(reason: defaultReason.rawValue, message: ""), image: spec.image)
            let previous = old[spec.name]
            if let previous {
                if previous.state.terminated != nil {
                    status = previous
                } else {
                    status.restartCount = previous.restartCount
                    status.lastState = previous.lastState
                }
            }
            let instances = runtime.containers.filter { $0.name == spec.name }
            if let latest = instances.first {
                status = convert(latest, spec: spec, previous: previous)
                if instances.count > 1, case .terminated(let t) = convert(instances[1], spec: spec, previous: nil).state {
                    status.lastState = t
                }
            } else if let previous, previous.state.isRunning, status.state == .waiting(reason: defaultReason.rawValue, message: ""),
                      status.lastState == nil {
                // It was running and is gone without a trace: show it stopped, not freshly waiting,
                // so the pod does not fall back to Pending.
                status.lastState = .init(
                    exitCode: 137, reason: "ContainerStatusUnknown",
                    message: "The container could not be located when the pod was deleted.  The container used to be Running")
                if !pod.isDeleted { status.restartCount += 1 }
            }

            // A container that will be started again shows why it is not running yet.
            let succeededInit = spec.kind == .initContainer && runtime.latest(spec.name).map { $0.state == .exited && $0.exitCode == 0 } == true
            if !succeededInit, planner.shouldStart(spec), let failure = startFailures[spec.name] {
                if let t = status.state.terminated { status.lastState = t }
                status.state = .waiting(reason: failure.reason.rawValue, message: failure.message)
            }
            applyProbes(&status, spec: spec)
            return status
        }
    }

    private func convert(_ c: RuntimeContainer, spec: ContainerSpec, previous: ContainerStatus?) -> ContainerStatus {
        let state: ContainerStatus.State
        switch c.state {
        case .running:
            state = .running(startedAt: c.startedAt)
        case .created:
            state = .waiting(reason: "", message: "")
        case .exited:
            let reason = c.reason.isEmpty ? (c.exitCode == 0 ? "Completed" : "Error") : c.reason
            state = .terminated(.init(exitCode: c.exitCode, reason: reason, message: c.message, startedAt: c.startedAt,
                                      finishedAt: c.finishedAt, containerID: c.containerID))
        case .unknown:
            if previous?.state.isRunning == true {
                state = .terminated(.init(exitCode: 137, reason: "ContainerStatusUnknown",
                                          message: "The container could not be located when the pod was terminated"))
            } else {
                state = .waiting(reason: "", message: "")
            }
        }
        return ContainerStatus(name: spec.name, state: state, restartCount: c.attempt,
                               image: c.image.isEmpty ? spec.image : c.image, imageID: c.imageRef, containerID: c.containerID)
    }

    /// Started: running and past its startup probe. Ready: started and passing readiness;
    /// a regular init container is ready once it succeeded. Without a probe, the gate is open.
    private func applyProbes(_ status: inout ContainerStatus, spec: ContainerSpec) {
        let id = runtime.latest(spec.name)?.id ?? ""
        let running = status.state.isRunning
        status.started = running && (spec.startupProbe == nil || probes[.startup, id] == .success)
        if spec.kind == .initContainer && !spec.isSidecar {
            status.ready = status.state.terminated?.exitCode == 0
        } else {
            status.ready = status.started && (spec.readinessProbe == nil || probes[.readiness, id] == .success)
        }
    }
}
