import KubeAPI

/// A node with what the scheduler has placed on it, precomputed for per-node checks that are
/// plain comparisons: allocatable as integers, taints, labels, and the running sums of the
/// requests and host ports of its pods.
///
/// A class, so a scheduling cycle walks thousands of them without copying; the node's own
/// fields are constants (a node update makes a new NodeInfo that carries the pods over), which
/// also spares them exclusivity checks on every read.
public final class NodeInfo {
    public let name: String
    public let labels: [String: String]
    public let taints: [Taint]
    public let unschedulable: Bool
    /// The Ready condition's status: "True", "False", "Unknown", or "" when absent.
    public let readyStatus: String
    public let allocatable: Resources
    public let allowedPodCount: Int64

    public private(set) var requested = Resources.zero
    public private(set) var nonZeroRequested = Resources.zero
    public private(set) var usedPorts = HostPortSet()
    public private(set) var podCount = 0
    /// Pods on this node by uid, with what each contributes to the sums.
    public private(set) var pods: [String: PodInfo] = [:]

    public init(node: JSON, pods: [PodInfo] = []) {
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
        for p in pods { add(p) }
    }

    /// The same node with new fields from the API, keeping its pods.
    func updated(node: JSON) -> NodeInfo { NodeInfo(node: node, pods: Array(pods.values)) }

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
        podCount = pods.count
        requested += pod.requests.requested
        nonZeroRequested += pod.requests.nonZero
        usedPorts.add(pod.hostPorts)
    }

    @discardableResult
    public func remove(uid: String) -> PodInfo? {
        guard let old = pods.removeValue(forKey: uid) else { return nil }
        podCount = pods.count
        subtract(old)
        return old
    }

    private func subtract(_ pod: PodInfo) {
        requested -= pod.requests.requested
        nonZeroRequested -= pod.requests.nonZero
        usedPorts.remove(pod.hostPorts)
    }
}
