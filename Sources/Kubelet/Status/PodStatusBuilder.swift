import Foundation
import KubeAPI

/// Builds the PodStatus the kubelet reports, from the spec, the runtime's view, the reasons
/// containers failed to start and the probe results (generateAPIPodStatus upstream). The previous
/// status supplies what must persist: terminal phases, transition times, start time, restart
/// counts of vanished containers, and conditions other components own.
public struct PodStatusBuilder: Sendable {
    public var pod: PodSpecView
    public var runtime: RuntimePodState
    public var startFailures: [String: ContainerStartFailure]
    public var probes: ProbeResults
    public var oldStatus: JSON
    public var hostIPs: [String]
    /// Every container has stopped for good (the pod worker decided the pod is finished).
    public var podIsTerminal: Bool

    public init(pod: PodSpecView, runtime: RuntimePodState, startFailures: [String: ContainerStartFailure] = [:],
                probes: ProbeResults = ProbeResults(), oldStatus: JSON = [:], hostIPs: [String] = [],
                podIsTerminal: Bool = false) {
        self.pod = pod
        self.runtime = runtime
        self.startFailures = startFailures
        self.probes = probes
        self.oldStatus = oldStatus
        self.hostIPs = hostIPs
        self.podIsTerminal = podIsTerminal
    }

    public func build(now: Date) -> JSON {
        let converter = ContainerStatusConverter(pod: pod, runtime: runtime, startFailures: startFailures, probes: probes)
        let initStatuses = converter.statuses(for: pod.initContainers, old: previous("initContainerStatuses"))
        let statuses = converter.statuses(for: pod.containers, old: previous("containerStatuses"))

        let oldPhase = oldStatus.string("phase").flatMap(PodPhase.init(rawValue:))
        var phase = PodPhase.of(pod: pod, initStatuses: initStatuses, statuses: statuses, podIsTerminal: podIsTerminal)
        // Succeeded and Failed are final: nothing that happens later may revive the pod.
        if !phase.isTerminal, let oldPhase, oldPhase.isTerminal { phase = oldPhase }

        var out = JSONObject()
        out["phase"] = .string(phase.rawValue)
        out["conditions"] = .array(conditions(phase: phase, initStatuses: initStatuses, statuses: statuses, now: now))
        // A reason and message belong to the phase they were given with (e.g. Evicted, OutOfcpu).
        if phase == oldPhase {
            if let m = oldStatus["message"] { out["message"] = m }
            if let r = oldStatus["reason"] { out["reason"] = r }
        }
        if let hostIP = hostIPs.first {
            out["hostIP"] = .string(hostIP)
            out["hostIPs"] = Self.ipList(hostIPs)
        }
        let podIPs = podIPs()
        if let podIP = podIPs.first {
            out["podIP"] = .string(podIP)
            out["podIPs"] = Self.ipList(podIPs)
        }
        out["startTime"] = oldStatus["startTime"] ?? Timestamp.json(now)
        if !initStatuses.isEmpty { out["initContainerStatuses"] = .array(initStatuses.map(\.json)) }
        out["containerStatuses"] = .array(statuses.map(\.json))
        out["qosClass"] = .string(pod.qosClass.rawValue)
        return .object(out)
    }

    private func previous(_ key: String) -> [String: ContainerStatus] {
        var out: [String: ContainerStatus] = [:]
        for s in oldStatus.objects(key).compactMap(ContainerStatus.init(json:)) { out[s.name] = s }
        return out
    }

    /// Conditions of other owners first, then the kubelet's in its fixed order.
    private func conditions(phase: PodPhase, initStatuses: [ContainerStatus], statuses: [ContainerStatus], now: Date) -> [JSON] {
        let old = oldStatus.objects("conditions")
        let kept = old.filter { !PodCondition.ownedTypes.contains($0.string("type") ?? "") }
        let sandboxReady = PodActionsPlanner(pod: pod, runtime: runtime, probes: probes).sandboxChange().reason == nil
        let containersReady = PodCondition.containersReady(pod: pod, initStatuses: initStatuses, statuses: statuses, phase: phase)
        let owned = [
            PodCondition("PodReadyToStartContainers", sandboxReady),
            PodCondition.initialized(pod: pod, initStatuses: initStatuses, statuses: statuses, phase: phase),
            PodCondition.ready(containersReady: containersReady, gates: pod.readinessGates, conditions: kept),
            containersReady,
            PodCondition("PodScheduled", true),
        ]
        return kept + owned.map { c in
            let previous = old.first { $0.string("type") == c.type && $0.string("status") == (c.status ? "True" : "False") }
            return c.json(transitionedAt: Timestamp.parse(previous?.string("lastTransitionTime")) ?? now)
        }
    }

    /// A host-network pod has the node's addresses. Once the sandbox is gone the last known
    /// addresses stay, so a finished pod still says where it ran.
    private func podIPs() -> [String] {
        if pod.hostNetwork { return hostIPs }
        let current = runtime.podIPs
        if !current.isEmpty { return current }
        return oldStatus.objects("podIPs").compactMap { $0.string("ip") }
    }

    private static func ipList(_ ips: [String]) -> JSON {
        .array(ips.map { .object(JSONObject([("ip", .string($0))])) })
    }
}
