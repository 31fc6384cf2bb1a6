/// How many feasible nodes a cycle looks for before it stops filtering
/// (numFeasibleNodesToFind upstream): all of a small cluster; otherwise a percentage that
/// shrinks as the cluster grows (50% - nodes/125, at least 5%), never fewer than 100 nodes.
public enum NodeSampling {
    public static let minFeasibleNodes = 100
    public static let minPercentage = 5

    /// - Parameter percentage: a fixed percentage (1...100), or nil for the adaptive default.
    public static func feasibleNodesToFind(allNodes: Int, percentage: Int? = nil) -> Int {
        if allNodes < minFeasibleNodes { return allNodes }
        var pct = percentage ?? 0
        if pct >= 100 { return allNodes }
        if pct <= 0 {
            pct = max(50 - allNodes / 125, minPercentage)
        }
        return max(allNodes * pct / 100, minFeasibleNodes)
    }
}
