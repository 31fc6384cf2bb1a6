/// One scheduling cycle's decision: filter nodes (stopping once enough fit), score the feasible
/// ones, pick the best. Pure over the cache it is given.
public struct ScheduleAlgorithm: Sendable {
    public enum Outcome: Sendable, Hashable {
        case node(String)
        case unschedulable(FitError)
        /// No nodes at all (ErrNoNodesAvailable upstream).
        case noNodes
        /// A plugin failed (status Error): the cycle is abandoned and the pod retried after backoff.
        case error(String)
    }

    public static let noNodesMessage = "no nodes available to schedule pods"

    public let framework: SchedulingFramework
    /// nil: the adaptive default.
    public var percentageOfNodesToScore: Int?
    private var nextStartNodeIndex = 0
    private var random: SeededGenerator

    public init(framework: SchedulingFramework, percentageOfNodesToScore: Int? = nil, seed: UInt64 = 0) {
        self.framework = framework
        self.percentageOfNodesToScore = percentageOfNodesToScore
        self.random = SeededGenerator(seed: seed)
    }

    public mutating func schedule(_ pod: PodInfo, in cache: NodeCache) -> Outcome {
        let nodes = cache.nodes
        guard !nodes.isEmpty else { return .noNodes }
        let (pre, filters) = framework.runPreFilters(pod)
        if pre.code == .error { return .error(pre.errorMessage) }
        if !pre.isSuccess {
            return .unschedulable(FitError(numAllNodes: nodes.count, preFilterStatus: pre, nodeStatuses: [],
                                           preemptionNever: pod.preemptionNever))
        }
        let wanted = NodeSampling.feasibleNodesToFind(allNodes: nodes.count, percentage: percentageOfNodesToScore)
        var feasible: [NodeInfo] = []
        feasible.reserveCapacity(wanted)
        var rejected: [PluginStatus] = []
        var processed = 0
        let start = nextStartNodeIndex % nodes.count
        while processed < nodes.count && feasible.count < wanted {
            let node = nodes[(start + processed) % nodes.count]
            processed += 1
            let status = SchedulingFramework.runFilters(filters, pod, on: node)
            if status.isSuccess {
                feasible.append(node)
            } else if status.code == .error {
                return .error(status.errorMessage)
            } else {
                rejected.append(status)
            }
        }
        nextStartNodeIndex = (start + processed) % nodes.count
        if feasible.isEmpty {
            return .unschedulable(FitError(numAllNodes: nodes.count, nodeStatuses: rejected, preemptionNever: pod.preemptionNever))
        }
        if feasible.count == 1 { return .node(feasible[0].name) }
        return .node(feasible[selectHost(totals: prioritize(pod, feasible))].name)
    }

    /// The weighted sum of every score plugin's normalised scores, per feasible node.
    func prioritize(_ pod: PodInfo, _ nodes: [NodeInfo]) -> [Int64] {
        var totals = [Int64](repeating: 0, count: nodes.count)
        var scores = [Int64](repeating: 0, count: nodes.count)
        for (plugin, weight) in framework.scorers where !plugin.skips(pod) {
            for i in nodes.indices { scores[i] = plugin.score(pod, on: nodes[i]) }
            plugin.normalize(&scores)
            for i in nodes.indices { totals[i] += scores[i] * weight }
        }
        return totals
    }

    /// The index of a highest total, chosen uniformly among ties (reservoir sampling).
    mutating func selectHost(totals: [Int64]) -> Int {
        var best = 0
        var ties = 1
        for i in totals.indices.dropFirst() {
            if totals[i] > totals[best] {
                best = i
                ties = 1
            } else if totals[i] == totals[best] {
                ties += 1
                if Int.random(in: 0..<ties, using: &random) == 0 { best = i }
            }
        }
        return best
    }
}
