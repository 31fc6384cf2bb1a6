import Foundation

/// Plans one sync of a pod from its spec, what the runtime reports and the settled probe results.
/// Restarts of containers that exited before pass through `backoff`: one still in its window is
/// moved to `backingOff` instead of being started, and every restart that goes ahead is recorded,
/// so the next failure waits twice as long (doBackOff upstream).
public func computePodActions(
    pod: PodSpecView, runtime: RuntimePodState, probes: ProbeResults, backoff: inout Backoff, now: Date
) -> PodActions {
    var actions = PodActionsPlanner(pod: pod, runtime: runtime, probes: probes).plan()
    var startedInit: [String] = []
    for name in actions.initContainersToStart {
        guard let spec = pod.initContainers.first(where: { $0.name == name }) else { continue }
        if let wait = backoffWait(spec, pod: pod, runtime: runtime, backoff: &backoff, now: now) {
            actions.backingOff.append(wait)
            // A regular init container that cannot start blocks everything after it.
            if !spec.isSidecar { actions.containersToStart = []; break }
            continue
        }
        startedInit.append(name)
    }
    actions.initContainersToStart = startedInit
    actions.containersToStart = actions.containersToStart.filter { name in
        guard let spec = pod.containers.first(where: { $0.name == name }) else { return false }
        guard let wait = backoffWait(spec, pod: pod, runtime: runtime, backoff: &backoff, now: now) else { return true }
        actions.backingOff.append(wait)
        return false
    }
    return actions
}

private func backoffWait(
    _ spec: ContainerSpec, pod: PodSpecView, runtime: RuntimePodState, backoff: inout Backoff, now: Date
) -> PodActions.BackingOff? {
    guard let exited = runtime.containers.first(where: { $0.name == spec.name && $0.state == .exited }) else { return nil }
    let eventTime = exited.finishedAt ?? exited.startedAt ?? exited.createdAt
    let key = BackoffKey.container(podUID: pod.uid, name: spec.name, specHash: spec.hash)
    if backoff.isInBackoff(key, since: eventTime, now: now), let delay = backoff.delay(key) {
        let message = "back-off \(GoDuration.format(delay)) restarting failed container=\(spec.name) pod=\(pod.formatted)"
        let left = max(0, delay.seconds - now.timeIntervalSince(eventTime))
        return PodActions.BackingOff(name: spec.name, message: message, delay: delay,
                                     remaining: .milliseconds(Int64(left * 1000)))
    }
    backoff.next(key, eventTime: eventTime, now: now)
    return nil
}
