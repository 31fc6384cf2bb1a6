import Foundation
import KubeAPI

/// How a node looks to the control plane (the node lifecycle controller's monitorNodeHealth):
/// healthy, said not-ready by its kubelet, or silent for longer than the grace period. Pure.
public enum NodeHealth: Sendable, Equatable {
    case ready
    /// The kubelet reports Ready=False.
    case notReady
    /// Neither the Lease nor the node status was renewed within the grace period.
    case unreachable

    public static let notReadyTaint = "node.kubernetes.io/not-ready"
    public static let unreachableTaint = "node.kubernetes.io/unreachable"

    public static func of(node: JSON, leaseRenewed: Date?, now: Date, grace: TimeInterval) -> NodeHealth {
        let ready = (node[path: ["status", "conditions"]]?.array ?? []).first { $0["type"]?.string == "Ready" }
        let heartbeat = Timestamp.parse(ready?["lastHeartbeatTime"]?.string)
        let created = Timestamp.parse(node[path: ["metadata", "creationTimestamp"]]?.string)
        let latest = [leaseRenewed, heartbeat, created].compactMap { $0 }.max()
        if let latest, now.timeIntervalSince(latest) > grace { return .unreachable }
        if ready?["status"]?.string == "Unknown" { return latest == nil ? .unreachable : .ready }
        return ready?["status"]?.string == "False" ? .notReady : .ready
    }

    /// The taint keys a node in this state carries (each with NoSchedule and NoExecute).
    public var taintKey: String? {
        switch self {
        case .ready: nil
        case .notReady: Self.notReadyTaint
        case .unreachable: Self.unreachableTaint
        }
    }

    /// The node's taints with the lifecycle ones made to match `self`; nil when nothing changes.
    public func taints(_ current: [JSON], now: Date) -> [JSON]? {
        let managed = [Self.notReadyTaint, Self.unreachableTaint]
        let kept = current.filter { !managed.contains($0["key"]?.string ?? "") || $0["key"]?.string == taintKey }
        var out = kept
        if let key = taintKey {
            for effect in ["NoSchedule", "NoExecute"] where !kept.contains(where: { $0["key"]?.string == key && $0["effect"]?.string == effect }) {
                var t = JSONObject([("key", .string(key)), ("effect", .string(effect))])
                if effect == "NoExecute" { t["timeAdded"] = .string(Timestamp.string(now)) }
                out.append(.object(t))
            }
        }
        return out == current ? nil : out
    }
}
