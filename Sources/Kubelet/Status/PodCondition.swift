import Foundation
import KubeAPI

/// A pod condition the kubelet owns; `lastTransitionTime` is filled in against the previous status.
public struct PodCondition: Sendable, Equatable {
    public var type: String
    public var status: Bool
    public var reason: String
    public var message: String

    public init(_ type: String, _ status: Bool, reason: String = "", message: String = "") {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }

    /// Kept from the previous status when the value did not change, else `now`.
    func json(transitionedAt: Date) -> JSON {
        var o = JSONObject()
        o["type"] = .string(type)
        o["status"] = .string(status ? "True" : "False")
        o["lastProbeTime"] = .null
        o["lastTransitionTime"] = Timestamp.json(transitionedAt)
        if !reason.isEmpty { o["reason"] = .string(reason) }
        if !message.isEmpty { o["message"] = .string(message) }
        return .object(o)
    }

    /// The conditions the kubelet sets, replacing any earlier values of these types.
    static let ownedTypes: Set<String> = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
}

extension PodCondition {
    /// `[a b]`: Go's rendering of a string slice, which Kubernetes' messages embed.
    private static func list(_ names: [String]) -> String { "[" + names.joined(separator: " ") + "]" }

    static func initialized(pod: PodSpecView, initStatuses: [ContainerStatus], statuses: [ContainerStatus], phase: PodPhase) -> PodCondition {
        var unknown: [String] = []
        var incomplete: [String] = []
        for spec in pod.initContainers {
            guard let s = initStatuses.first(where: { $0.name == spec.name }) else { unknown.append(spec.name); continue }
            if spec.isSidecar ? !s.started : !s.ready { incomplete.append(spec.name) }
        }
        if phase == .succeeded && unknown.isEmpty { return PodCondition("Initialized", true, reason: "PodCompleted") }
        // Init containers may be gone or sidecars restarting, but app containers ran: initialized.
        if PodPhase.anyRegularStarted(pod, statuses) { return PodCondition("Initialized", true) }
        var parts: [String] = []
        if !unknown.isEmpty { parts.append("containers with unknown status: \(list(unknown))") }
        if !incomplete.isEmpty { parts.append("containers with incomplete status: \(list(incomplete))") }
        if parts.isEmpty { return PodCondition("Initialized", true) }
        return PodCondition("Initialized", false, reason: "ContainersNotInitialized", message: parts.joined(separator: ", "))
    }

    static func containersReady(pod: PodSpecView, initStatuses: [ContainerStatus], statuses: [ContainerStatus], phase: PodPhase) -> PodCondition {
        var unknown: [String] = []
        var unready: [String] = []
        let watched = pod.initContainers.filter(\.isSidecar).map { ($0.name, initStatuses) } + pod.containers.map { ($0.name, statuses) }
        for (name, list) in watched {
            guard let s = list.first(where: { $0.name == name }) else { unknown.append(name); continue }
            if !s.ready { unready.append(name) }
        }
        if phase == .succeeded && unknown.isEmpty { return PodCondition("ContainersReady", false, reason: "PodCompleted") }
        // A failed pod's containers may still be stopping; it is not ready whatever they say.
        if phase == .failed { return PodCondition("ContainersReady", false, reason: "PodFailed") }
        var parts: [String] = []
        if !unknown.isEmpty { parts.append("containers with unknown status: \(list(unknown))") }
        if !unready.isEmpty { parts.append("containers with unready status: \(list(unready))") }
        if parts.isEmpty { return PodCondition("ContainersReady", true) }
        return PodCondition("ContainersReady", false, reason: "ContainersNotReady", message: parts.joined(separator: ", "))
    }

    /// Ready needs ContainersReady and every readiness gate's condition True.
    static func ready(containersReady: PodCondition, gates: [String], conditions: [JSON]) -> PodCondition {
        guard containersReady.status else {
            return PodCondition("Ready", false, reason: containersReady.reason, message: containersReady.message)
        }
        var unready: [String] = []
        for gate in gates {
            guard let c = conditions.first(where: { $0.string("type") == gate }) else {
                unready.append("corresponding condition of pod readiness gate \"\(gate)\" does not exist.")
                continue
            }
            if let status = c.string("status"), status != "True" {
                unready.append("the status of pod readiness gate \"\(gate)\" is not \"True\", but \(status)")
            }
        }
        if unready.isEmpty { return PodCondition("Ready", true) }
        return PodCondition("Ready", false, reason: "ReadinessGatesNotReady", message: unready.joined(separator: ", "))
    }
}
