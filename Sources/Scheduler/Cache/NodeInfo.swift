import KubeAPI

/// A node with what the scheduler has placed on it, precomputed for per-node checks that are
/// plain comparisons: allocatable as integers, taints, labels, and the running sums of the
/// requests and host ports of its pods.
public final class NodeInfo {
    public private(set) var name: String
    public private(set) var labels: [String: String]
    public private(set) var taints: [Taint]
    public private(set) var unschedulable: Bool
    /// The Ready condition's status: "True", "False", "Unknown", or "" when absent.
    public private(set) var readyStatus: String
    public private(set) var allocatable: Resources
    public private(set) var allowedPodCount: Int64

    public private(set) var requested = Resources.zero
    public private(set) var nonZeroRequested = Resources.zero
    public private(set) var usedPorts = HostPortSet()
    /// Pods on this node by uid, with what each contributes to the sums.
    public private(set) var pods: [String: PodInfo] = [:]

    public init(node: JSON) {
        name = ""
        labels = [:]
        taints = []
        unschedulable = false
        readyStatus = ""
        allocatable = .zero
        allowedPodCount = 0
        update(node: node)
    }

    public convenience init(node: JSON, pods: [PodInfo]) {
        self.init(node: node)
        for p in pods { add(p) }
    }

    public var podCount: Int { pods.count }

    /// Replaces the node's own fields, keeping its pods.
    public func update(node: JSON) {
        let meta = node["metadata"] ?? [:]
        let spec = node["spec"] ?? [:]
        let status = node["status"] ?? [:]
        name = meta.string("name") ?? ""
        labels = meta.stringMap("labels")
        taints = spec.objects("taints").compactMap(Taint.init(json:))
        unschedulable = spec.bool("unschedulable")
        readyStatus = status.objects("conditions").first { $0.string("type") == "Ready" }?.string("status") ?? ""
        let alloc = status["allocatable"]
        allocatable = Resources(list: alloc)
        allowedPodCount = alloc?["pods"].flatMap { try? Quantity(json: $0) }?.value ?? 0
    }

    /// What scheduling decisions depend on; a node update that keeps it is not a cluster change.
    var schedulingFingerprint: SchedulingFingerprint {
        SchedulingFingerprint(labels: labels, taints: taints, unschedulable: unschedulable, readyStatus: readyStatus,
                              allocatable: allocatable, allowedPodCount: allowedPodCount)
    }

    struct SchedulingFingerprint: Hashable {
        var labels: [String: String]
        var taints: [Taint]
        var unschedulable: Bool
        var readyStatus: String
        var allocatable: Resources
        var allowedPodCount: Int64
    }

    public func add(_ pod: PodInfo) {
        if let old = pods[pod.uid] { subtract(old) }
        pods[pod.uid] = pod
        requested += pod.requests.requested
        nonZeroRequested += pod.requests.nonZero
        usedPorts.add(pod.hostPorts)
    }

    @discardableResult
    public func remove(uid: String) -> PodInfo? {
        guard let old = pods.removeValue(forKey: uid) else { return nil }
        subtract(old)
        return old
    }

    private func subtract(_ pod: PodInfo) {
        requested -= pod.requests.requested
        nonZeroRequested -= pod.requests.nonZero
        usedPorts.remove(pod.hostPorts)
    }
}
