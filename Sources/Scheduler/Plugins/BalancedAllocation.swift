/// Favours nodes whose cpu and memory would be used in similar proportions after placing the
/// pod: score = (1 - standard deviation of the used fractions) x 100, on requests as written.
public struct BalancedAllocation: ScorePlugin {
    public static let name = "NodeResourcesBalancedAllocation"

    public var name: String { Self.name }

    public init() {}

    public func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        let want = pod.requests.requested
        let used = node.requested
        let cpu = Self.fraction(want.milliCPU + used.milliCPU, node.allocatable.milliCPU)
        let memory = Self.fraction(want.memory + used.memory, node.allocatable.memory)
        // With two resources the standard deviation is half their difference; with one, zero.
        let std = if let cpu, let memory { abs(cpu - memory) / 2 } else { 0.0 }
        return Int64((1 - std) * Double(maxNodeScore))
    }

    /// The used share of a resource, capped at 1; nil when the node has none of it.
    static func fraction(_ requested: Int64, _ capacity: Int64) -> Double? {
        capacity == 0 ? nil : min(Double(requested) / Double(capacity), 1)
    }
}
