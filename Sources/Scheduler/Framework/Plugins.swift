/// A scheduling plugin; it takes part in each extension point whose protocol it adopts.
public protocol SchedulerPlugin: Sendable {
    var name: String { get }
}

/// Runs once per pod before any node is looked at; a non-success status fails the whole cycle.
public protocol PreFilterPlugin: SchedulerPlugin {
    func preFilter(_ pod: PodInfo) -> PluginStatus
}

/// Decides whether one node can run the pod.
public protocol FilterPlugin: SchedulerPlugin {
    func filter(_ pod: PodInfo, on node: NodeInfo) -> PluginStatus
}

/// Ranks the feasible nodes. Scores end up in 0...`maxNodeScore` after `normalize`, then are
/// multiplied by the plugin's weight and summed across plugins.
public protocol ScorePlugin: SchedulerPlugin {
    /// Whether the plugin has nothing to say about this pod (PreScore "Skip" upstream).
    func skips(_ pod: PodInfo) -> Bool
    func score(_ pod: PodInfo, on node: NodeInfo) -> Int64
    /// Rescales the raw scores of all feasible nodes in place.
    func normalize(_ scores: inout [Int64])
}

public let maxNodeScore: Int64 = 100

extension ScorePlugin {
    public func skips(_ pod: PodInfo) -> Bool { false }
    public func normalize(_ scores: inout [Int64]) {}
}

/// Scales scores so the highest becomes `maxNodeScore`; `reverse` then flips them, for plugins
/// whose raw score counts something bad (DefaultNormalizeScore upstream).
func defaultNormalize(_ scores: inout [Int64], reverse: Bool) {
    let highest = scores.max() ?? 0
    if highest == 0 {
        if reverse { for i in scores.indices { scores[i] = maxNodeScore } }
        return
    }
    for i in scores.indices {
        var s = maxNodeScore * scores[i] / highest
        if reverse { s = maxNodeScore - s }
        scores[i] = s
    }
}
