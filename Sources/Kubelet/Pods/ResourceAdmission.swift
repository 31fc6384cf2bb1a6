import KubeAPI

/// The kubelet's own admission of a pod bound to it (the predicate admit handler): the pod's
/// requests must fit in what the node's allocatable leaves after the pods already admitted,
/// else the pod fails with reason `OutOf<resource>`. Pure.
public struct ResourceAdmission: Sendable {
    public struct Rejection: Sendable, Equatable {
        public var reason: String
        public var message: String
    }

    public var allocatable: [String: Quantity]

    public init(allocatable: [String: Quantity]) { self.allocatable = allocatable }

    public func check(_ pod: PodSpecView, others: [PodSpecView]) -> Rejection? {
        if let pods = allocatable["pods"]?.value, others.count + 1 > pods {
            return Rejection(reason: "OutOfpods", message: "Node didn't have enough resource: pods, requested: 1, used: \(others.count), capacity: \(pods)")
        }
        let wanted = Self.requests(pod)
        for resource in ["cpu", "memory", "ephemeral-storage"] {
            guard let want = wanted[resource], want > 0, let cap = allocatable[resource] else { continue }
            let capacity = resource == "cpu" ? cap.milliValue : cap.value
            let used = others.reduce(Int64(0)) { $0 + (Self.requests($1)[resource] ?? 0) }
            if used + want > capacity {
                return Rejection(reason: "OutOf\(resource)",
                                 message: "Pod was rejected: Node didn't have enough resource: \(resource), requested: \(want), used: \(used), capacity: \(capacity)")
            }
        }
        return nil
    }

    /// Effective requests: the larger of the app containers' sum and any single init container,
    /// cpu in millicores and the rest in bytes.
    public static func requests(_ pod: PodSpecView) -> [String: Int64] {
        func amount(_ c: ContainerSpec, _ r: String) -> Int64 {
            guard let q = c.resources.requests[r] else { return 0 }
            return r == "cpu" ? q.milliValue : q.value
        }
        var out: [String: Int64] = [:]
        for r in ["cpu", "memory", "ephemeral-storage"] {
            let sum = pod.containers.reduce(Int64(0)) { $0 + amount($1, r) }
                + pod.initContainers.filter(\.isSidecar).reduce(Int64(0)) { $0 + amount($1, r) }
            let maxInit = pod.initContainers.filter { !$0.isSidecar }.map { amount($0, r) }.max() ?? 0
            out[r] = max(sum, maxInit)
        }
        return out
    }
}
