extension PodActionsPlanner {
    /// Plans init containers, sidecars included (computeInitContainerActions upstream). Returns
    /// whether the pod is initialized, i.e. app containers may be planned.
    ///
    /// Walks the init containers backwards: finished ones may have been garbage-collected, so the
    /// last one with a status tells how far initialization got; the ones before it only matter if
    /// they are sidecars that must be kept running.
    func planInitContainers(_ actions: inout PodActions) -> Bool {
        let inits = pod.initContainers
        if inits.isEmpty { return true }

        // A created or running app container proves initialization finished at some point.
        // Exited ones prove nothing: after a reboot everything is exited and a new sandbox is due.
        var initialized = pod.containers.contains { spec in
            guard let s = runtime.latest(spec.name) else { return false }
            return s.state == .created || s.state == .running
        }
        var previouslyInitialized = initialized
        var toStart: [Int] = []

        func kill(_ status: RuntimeContainer, _ reason: PodActions.KillReason, _ message: String) {
            actions.containersToKill.append(.init(containerID: status.id, name: status.name, reason: reason, message: message))
        }

        for i in inits.indices.reversed() {
            let spec = inits[i]
            guard let status = runtime.latest(spec.name) else {
                // A sidecar whose instance vanished after initialization is started again.
                if previouslyInitialized && spec.isSidecar { toStart.append(i) }
                continue
            }
            // After initialization only sidecars need attention.
            if previouslyInitialized && !spec.isSidecar { continue }

            switch status.state {
            case .created:
                // Create and start are one step, so a container stuck in created failed to start.
                toStart.append(i)
            case .running:
                guard spec.isSidecar else { break }
                if spec.startupProbe != nil {
                    let startup = probes[.startup, status.id]
                    if startup == .failure {
                        kill(status, .startupProbe, "Init container \(spec.name) failed startup probe")
                        toStart.append(i)
                    }
                    if startup != .success { break }
                }
                if i == inits.count - 1 {
                    initialized = true
                } else if !previouslyInitialized {
                    toStart.append(i + 1)
                }
                if let hash = status.specHash, hash != spec.hash {
                    kill(status, .definitionChanged, "Init container \(spec.name) definition changed")
                    toStart.append(i)
                    break
                }
                // Liveness restarts a sidecar but does not hold back the next init container.
                if spec.livenessProbe != nil, probes[.liveness, status.id] == .failure {
                    kill(status, .livenessProbe, "Init container \(spec.name) failed liveness probe")
                    toStart.append(i)
                }
            case .exited:
                if spec.isSidecar {
                    toStart.append(i)
                } else if status.failedAsInit {
                    guard pod.restartsOnFailure else { return failInitialization(&actions) }
                    toStart.append(i)
                } else if i == inits.count - 1 {
                    initialized = true
                } else {
                    toStart.append(i + 1)
                }
            case .unknown:
                if !spec.isSidecar && !pod.restartsOnFailure { return failInitialization(&actions) }
                kill(status, .unknownState, "Init container is in \"unknown\" state, try killing it before restart")
                toStart.append(i)
            }
            previouslyInitialized = true
        }
        // Nothing has run yet: begin with the first.
        if !previouslyInitialized { toStart.append(0) }

        var seen = Set<Int>()
        actions.initContainersToStart = toStart.reversed().filter { seen.insert($0).inserted }.map { inits[$0].name }
        return initialized
    }

    /// An init container failed under restartPolicy Never: the pod is over.
    private func failInitialization(_ actions: inout PodActions) -> Bool {
        actions.killPod = true
        actions.initContainersToStart = []
        return false
    }
}
