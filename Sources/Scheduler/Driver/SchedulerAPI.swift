import KubeAPI

/// The API calls the scheduler makes. The composition layer adapts the REST client to this;
/// `FakeSchedulerAPI` is the in-memory double.
public protocol SchedulerAPI: Sendable {
    /// Pods (all of them, not only unassigned ones: assigned pods fill the node cache) and nodes:
    /// a `.listed` of each, then watch events. Scheduling starts once both lists have arrived.
    /// After a watch ends the stream should relist (another `.listed`) and resume by itself;
    /// the scheduler stops when the stream finishes.
    func events() -> AsyncThrowingStream<ClusterEvent, any Error>

    /// POST pods/{name}/binding with the uid as a precondition.
    func bind(namespace: String, name: String, uid: String, node: String) async throws -> BindOutcome

    /// Sets the PodScheduled condition to False, reason Unschedulable, with `message` (pods/status).
    func setUnschedulable(namespace: String, name: String, message: String) async throws

    func recordEvent(_ event: SchedulerEvent) async throws

    /// Writes `volume.kubernetes.io/selected-node` on a late-binding claim of a pod being bound.
    func selectNode(namespace: String, claim: String, node: String) async throws
}

extension SchedulerAPI {
    public func selectNode(namespace: String, claim: String, node: String) async throws {}
}

public enum BindOutcome: Sendable, Hashable {
    case bound
    /// 409: the pod is already bound or was replaced; the scheduler drops it.
    case conflict
}

/// An Event about a pod, from "default-scheduler".
public struct SchedulerEvent: Sendable, Hashable {
    public enum EventType: String, Sendable, Hashable { case normal = "Normal", warning = "Warning" }

    public var namespace: String
    public var podName: String
    public var podUID: String
    public var type: EventType
    public var reason: String
    public var message: String

    public init(namespace: String, podName: String, podUID: String, type: EventType, reason: String, message: String) {
        self.namespace = namespace
        self.podName = podName
        self.podUID = podUID
        self.type = type
        self.reason = reason
        self.message = message
    }

    static func scheduled(_ pod: PodInfo, node: String) -> SchedulerEvent {
        SchedulerEvent(namespace: pod.namespace, podName: pod.name, podUID: pod.uid, type: .normal, reason: "Scheduled",
                       message: "Successfully assigned \(pod.key) to \(node)")
    }

    static func failedScheduling(_ pod: PodInfo, message: String) -> SchedulerEvent {
        SchedulerEvent(namespace: pod.namespace, podName: pod.name, podUID: pod.uid, type: .warning,
                       reason: "FailedScheduling", message: message)
    }
}
