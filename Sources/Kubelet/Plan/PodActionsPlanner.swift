/// The decision half of `computePodActions`, before backoff: Kubernetes' computePodActions rules
/// re-derived over our value types.
struct PodActionsPlanner {
    let pod: PodSpecView
    let runtime: RuntimePodState
    let probes: ProbeResults

    func plan() -> PodActions {
        var actions = PodActions()
        let sandbox = sandboxChange()
        actions.killPod = sandbox.reason != nil
        actions.createSandbox = sandbox.reason
        actions.sandboxID = sandbox.id
        actions.sandboxAttempt = sandbox.attempt

        if sandbox.reason != nil {
            planFreshSandbox(&actions, attempt: sandbox.attempt)
            return actions
        }
        let initialized = planInitContainers(&actions)
        if actions.killPod || !initialized { return actions }

        var keep = 0
        for spec in pod.containers {
            guard let status = runtime.latest(spec.name), status.state == .running else {
                guard shouldStart(spec) else { continue }
                actions.containersToStart.append(spec.name)
                if let status = runtime.latest(spec.name), status.state == .unknown {
                    // It may still be running somewhere: never let two instances run at once.
                    actions.containersToKill.append(.init(
                        containerID: status.id, name: spec.name, reason: .unknownState,
                        message: "Container is in \"unknown\" state, try killing it before restart"))
                }
                continue
            }
            var restart = pod.restartsOnFailure
            var message: String
            let reason: PodActions.KillReason
            if let hash = status.specHash, hash != spec.hash {
                message = "Container \(spec.name) definition changed"
                reason = .definitionChanged
                // A changed spec is applied whatever the restart policy says.
                restart = true
            } else if probes[.liveness, status.id] == .failure {
                message = "Container \(spec.name) failed liveness probe"
                reason = .livenessProbe
            } else if probes[.startup, status.id] == .failure {
                message = "Container \(spec.name) failed startup probe"
                reason = .startupProbe
            } else {
                keep += 1
                continue
            }
            if restart {
                message += ", will be restarted"
                actions.containersToStart.append(spec.name)
            }
            actions.containersToKill.append(.init(containerID: status.id, name: spec.name, reason: reason, message: message))
        }

        // Nothing left running or to run: the pod is done. Sidecars must not keep it alive.
        if keep == 0 && actions.containersToStart.isEmpty {
            actions.killPod = true
            actions.initContainersToStart = []
        }
        return actions
    }

    /// A new sandbox means everything starts over, from the first init container.
    private func planFreshSandbox(_ actions: inout PodActions, attempt: UInt32) {
        // A pod that will not restart and has run containers before is finished, not re-created.
        if !pod.restartsOnFailure && attempt != 0 && !runtime.containers.isEmpty {
            actions.createSandbox = nil
            return
        }
        let toStart = pod.containers.filter { spec in
            !(pod.restartPolicy == .onFailure && runtime.latest(spec.name).map { $0.state == .exited && $0.exitCode == 0 } == true)
        }
        if toStart.isEmpty && initializationDone() {
            actions.createSandbox = nil
            return
        }
        if let first = pod.initContainers.first {
            actions.initContainersToStart = [first.name]
        } else {
            actions.containersToStart = toStart.map(\.name)
        }
    }

    /// Whether the (latest) sandbox has to be replaced, and with which attempt number
    /// (PodSandboxChanged upstream).
    func sandboxChange() -> (reason: PodActions.SandboxReason?, attempt: UInt32, id: String?) {
        guard let latest = runtime.sandboxes.first else { return (.noSandbox, 0, nil) }
        let next = latest.attempt + 1
        if runtime.sandboxes.count(where: { $0.state == .ready }) > 1 { return (.multipleReady, next, latest.id) }
        if latest.state != .ready { return (.notReady, next, latest.id) }
        if latest.hostNetwork != pod.hostNetwork { return (.networkNamespaceChanged, next, nil) }
        if !pod.hostNetwork && latest.ips.isEmpty { return (.noIP, next, latest.id) }
        return (nil, latest.attempt, latest.id)
    }

    /// Whether a container that is not running should be started (ShouldContainerBeRestarted).
    func shouldStart(_ spec: ContainerSpec) -> Bool {
        if pod.isDeleted { return false }
        guard let status = runtime.latest(spec.name) else { return true }
        switch status.state {
        case .running: return false
        case .unknown, .created: return true
        case .exited:
            // Sidecars restart whatever the pod's policy says.
            if spec.isSidecar { return true }
            switch pod.restartPolicy {
            case .never: return false
            case .onFailure: return status.exitCode != 0
            case .always: return true
            }
        }
    }

    /// findNextInitContainerToRun's "done": every init container has succeeded, or the app
    /// containers already run (their init containers may have been garbage-collected since).
    private func initializationDone() -> Bool {
        if pod.initContainers.isEmpty { return true }
        if pod.containers.contains(where: { runtime.latest($0.name)?.state == .running }) { return true }
        if pod.initContainers.contains(where: { runtime.latest($0.name)?.failedAsInit == true }) { return false }
        for (i, spec) in pod.initContainers.enumerated().reversed() {
            guard let status = runtime.latest(spec.name) else { continue }
            if status.state == .running { return false }
            if status.state == .exited { return i == pod.initContainers.count - 1 }
        }
        return false
    }
}
