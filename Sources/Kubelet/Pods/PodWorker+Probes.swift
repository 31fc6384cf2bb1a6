import Foundation

extension PodWorker {
    /// One prober task per probe of every container that declares one (the prober manager).
    func ensureProbers(_ pod: PodSpecView) {
        for spec in pod.initContainers.filter(\.isSidecar) + pod.containers {
            for kind in ProbeKind.allCases {
                guard let probe = spec.probe(kind) else { continue }
                let key = "\(spec.name)/\(kind.rawValue)"
                guard probers[key] == nil else { continue }
                let worker = ProbeWorker(kind: kind, spec: probe, restartPolicy: pod.restartPolicy)
                probers[key] = Task { [ctx, uid] in
                    await Self.probeLoop(worker, container: spec, pod: pod, uid: uid, ctx: ctx, owner: self)
                }
            }
        }
    }

    func stopProbers() {
        for task in probers.values { task.cancel() }
        probers = [:]
    }

    private static func probeLoop(_ initial: ProbeWorker, container spec: ContainerSpec, pod: PodSpecView, uid: String,
                                  ctx: KubeletContext, owner: PodWorker) async {
        var worker = initial
        // A verdict adopted from before a kubelet restart stands until the probe itself says otherwise.
        var adopted: String? = ctx.store.runtime(uid).latest(spec.name).map(\.id).flatMap {
            ctx.store.probes[initial.kind, $0] != nil ? $0 : nil
        }
        func perform(_ actions: [ProbeWorker.Action]) async -> Bool {
            for action in actions {
                switch action {
                case .publish(let id, let result):
                    if ctx.store.setProbe(worker.kind, id, result) { await owner.poke() }
                case .unhealthy(let message):
                    ctx.events.emit(.unhealthy(spec, message: message), pod: pod)
                case .probeWarning(let message):
                    ctx.events.emit(.probeWarning(spec, message: message), pod: pod)
                case .stop:
                    return false
                case .runProbe(let timeout):
                    let runtime = ctx.store.runtime(uid)
                    guard let id = worker.containerID else { continue }
                    let outcome = await ctx.handlers.run(worker.spec.handler, container: spec, containerID: id,
                                                         podIP: runtime.podIPs.first, timeout: timeout)
                    if Task.isCancelled { return false }
                    if !(await perform(worker.record(outcome, now: Date()))) { return false }
                }
            }
            return true
        }
        while !Task.isCancelled {
            let now = Date()
            let latest = ctx.store.runtime(uid).latest(spec.name)
            let id = latest?.id
            let started = id.map { spec.startupProbe == nil || ctx.store.probes[.startup, $0] == .success } ?? false
            let observation = ProbeWorker.Observation(
                containerID: id, runningSince: latest?.state == .running ? (latest?.startedAt ?? latest?.createdAt) : nil,
                terminated: latest?.state == .exited, started: started)
            if worker.isDue(now) || (id != nil && id != worker.containerID) {
                var actions = worker.tick(observation, now: now)
                if let kept = adopted {
                    actions.removeAll { if case .publish(let pid, _) = $0 { return pid == kept } else { return false } }
                    adopted = nil
                }
                if !(await perform(actions)) { return }
            }
            let wait = max(0.05, min(1, (worker.nextDue ?? now).timeIntervalSince(Date())))
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }
}
