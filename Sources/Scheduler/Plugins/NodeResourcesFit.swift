/// Filter: the pod's requests must fit in the node's allocatable minus what its pods request,
/// and one more pod must fit under the node's pod limit; every shortfall is a reason.
/// Score: the LeastAllocated strategy over cpu and memory (weight 1 each), on non-zero requests.
public struct NodeResourcesFit: FilterPlugin, ScorePlugin {
    public static let name = "NodeResourcesFit"
    public static let tooManyPods = "Too many pods"

    public var name: String { Self.name }

    public init() {}

    public static func insufficient(_ resource: String) -> String { "Insufficient \(resource)" }

    public func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus {
        var reasons: [String] = []
        if Int64(node.podCount) + 1 > node.allowedPodCount { reasons.append(Self.tooManyPods) }
        let want = pod.requests.requested
        let have = node.allocatable
        let used = node.requested
        if want.milliCPU > 0 && want.milliCPU > have.milliCPU - used.milliCPU { reasons.append("Insufficient cpu") }
        if want.memory > 0 && want.memory > have.memory - used.memory { reasons.append("Insufficient memory") }
        if want.ephemeralStorage > 0 && want.ephemeralStorage > have.ephemeralStorage - used.ephemeralStorage {
            reasons.append("Insufficient ephemeral-storage")
        }
        if !want.scalars.isEmpty {
            for (name, amount) in want.scalars.sorted(by: { $0.key < $1.key })
            where amount > 0 && amount > (have.scalars[name] ?? 0) - (used.scalars[name] ?? 0) {
                reasons.append(Self.insufficient(name))
            }
        }
        return reasons.isEmpty ? .success : PluginStatus(.unschedulable, reasons)
    }

    public func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        let want = pod.requests.nonZero
        let used = node.nonZeroRequested
        let cpu = node.allocatable.milliCPU, memory = node.allocatable.memory
        // Resources the node lacks entirely are left out of the average.
        var total: Int64 = 0, weights: Int64 = 0
        if cpu != 0 { total += Self.leastRequested(want.milliCPU + used.milliCPU, cpu); weights += 1 }
        if memory != 0 { total += Self.leastRequested(want.memory + used.memory, memory); weights += 1 }
        return weights == 0 ? 0 : total / weights
    }

    /// The free share of a resource after placing the pod, on the 0...100 scale.
    static func leastRequested(_ requested: Int64, _ capacity: Int64) -> Int64 {
        guard capacity != 0, requested <= capacity else { return 0 }
        return (capacity - requested) * maxNodeScore / capacity
    }
}
