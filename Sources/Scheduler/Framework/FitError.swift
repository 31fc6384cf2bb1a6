/// Why a pod fits no node, and the message kube-scheduler prints for it (FitError.Error upstream):
///
///     0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: }. preemption: …
///
/// Each reason is counted once per node that gave it; the "count reason" strings are sorted
/// bytewise, as Go's sort.Strings does (so "10 …" sorts before "2 …").
public struct FitError: Sendable, Hashable {
    public var numAllNodes: Int
    /// Set when a PreFilter plugin rejected the pod; then no per-node reasons are listed.
    public var preFilterStatus: PluginStatus?
    /// One status per rejected node.
    public var nodeStatuses: [PluginStatus]
    /// The pod may not preempt (`preemptionPolicy: Never`).
    public var preemptionNever: Bool

    public init(numAllNodes: Int, preFilterStatus: PluginStatus? = nil, nodeStatuses: [PluginStatus], preemptionNever: Bool = false) {
        self.numAllNodes = numAllNodes
        self.preFilterStatus = preFilterStatus
        self.nodeStatuses = nodeStatuses
        self.preemptionNever = preemptionNever
    }

    public static let preemptionNotHelpful = "Preemption is not helpful for scheduling"
    public static let noPreemptionVictims = "No preemption victims found for incoming pod"
    public static let preemptionNeverMessage = "not eligible due to preemptionPolicy=Never."

    public var message: String {
        var msg = "0/\(numAllNodes) nodes are available:"
        if let pre = preFilterStatus {
            msg += " \(pre.reasons.joined(separator: ", "))."
        } else {
            var counts: [String: Int] = [:]
            for s in nodeStatuses { for r in s.reasons { counts[r, default: 0] += 1 } }
            let histogram = Self.histogram(counts)
            if !histogram.isEmpty { msg += " \(histogram)." }
        }
        return msg + " preemption: " + preemptionMessage
    }

    /// What DefaultPreemption reports when it finds nothing to evict. This scheduler does not
    /// preempt, so it always reports that: nodes that failed with a resolvable status (the only
    /// ones preemption looks at) as having no victims, the rest as not helped by preemption.
    /// Upstream prints this whenever its PostFilter runs without finding candidates, which is
    /// every unschedulable outcome of the default profile.
    var preemptionMessage: String {
        if preemptionNever { return Self.preemptionNeverMessage }
        let statuses = preFilterStatus.map { Array(repeating: $0, count: numAllNodes) } ?? nodeStatuses
        let resolvable = statuses.filter { $0.code == .unschedulable }.count
        var counts: [String: Int] = [:]
        if resolvable > 0 { counts[Self.noPreemptionVictims] = resolvable }
        if numAllNodes - resolvable > 0 { counts[Self.preemptionNotHelpful] = numAllNodes - resolvable }
        return "0/\(numAllNodes) nodes are available: \(Self.histogram(counts))."
    }

    static func histogram(_ counts: [String: Int]) -> String {
        counts.map { "\($0.value) \($0.key)" }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .joined(separator: ", ")
    }
}
