import KubeAPI

/// The parts of a Pod the scheduler decides on, parsed once per pod (never per node).
public struct PodInfo: Sendable {
    public var namespace: String
    public var name: String
    public var uid: String
    public var labels: [String: String]
    public var nodeName: String
    public var schedulerName: String
    public var phase: String
    public var isDeleted: Bool
    public var priority: Int64
    public var preemptionNever: Bool
    /// `spec.schedulingGates` not yet removed: the pod waits outside the queue.
    public var isGated: Bool
    public var requests: PodRequests
    public var hostPorts: [HostPort]
    public var tolerations: [Toleration]
    public var nodeSelector: [String: String]
    /// Required node affinity terms (ORed); nil when the pod has none.
    public var requiredTerms: [NodeSelectorTerm]?
    public var preferredTerms: [(weight: Int64, term: NodeSelectorTerm)]
    /// Claims named by `persistentVolumeClaim` volumes.
    public var claimNames: [String]
    /// What the spec looks like for the purposes of "did this pod change?" (status excluded).
    var specFingerprint: Int

    public init(pod: JSON) {
        let meta = pod["metadata"] ?? [:]
        let spec = pod["spec"] ?? [:]
        namespace = meta.string("namespace") ?? "default"
        name = meta.string("name") ?? ""
        uid = meta.string("uid") ?? ""
        labels = meta.stringMap("labels")
        isDeleted = meta["deletionTimestamp"].map { !$0.isNull } ?? false
        nodeName = spec.string("nodeName") ?? ""
        schedulerName = spec.string("schedulerName") ?? "default-scheduler"
        phase = pod["status"]?.string("phase") ?? ""
        priority = spec.int("priority") ?? 0
        preemptionNever = spec.string("preemptionPolicy") == "Never"
        isGated = !spec.objects("schedulingGates").isEmpty
        requests = PodRequests(spec: spec)
        hostPorts = HostPort.of(spec: spec)
        tolerations = spec.objects("tolerations").compactMap(Toleration.init(json:))
        nodeSelector = spec.stringMap("nodeSelector")
        let nodeAffinity = spec["affinity"]?["nodeAffinity"]
        requiredTerms = nodeAffinity?["requiredDuringSchedulingIgnoredDuringExecution"].map {
            $0.objects("nodeSelectorTerms").map(NodeSelectorTerm.init(json:))
        }
        preferredTerms = (nodeAffinity?.objects("preferredDuringSchedulingIgnoredDuringExecution") ?? []).compactMap { p in
            guard let w = p.int("weight"), w != 0, let pref = p["preference"] else { return nil }
            return (w, NodeSelectorTerm(json: pref))
        }
        claimNames = spec.objects("volumes").compactMap { $0["persistentVolumeClaim"]?.string("claimName") }
        var h = Hasher()
        h.combine(spec)
        h.combine(meta["labels"])
        h.combine(meta["annotations"])
        specFingerprint = h.finalize()
    }

    /// `namespace/name`, as events and messages print a pod.
    public var key: String { "\(namespace)/\(name)" }

    public var isTerminal: Bool { phase == "Succeeded" || phase == "Failed" }
}
