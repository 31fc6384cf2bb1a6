import KubeAPI
import Synchronization

/// An in-memory `SchedulerAPI`: a tiny store of pods and nodes that binds, writes status and
/// records events the way the API server would, and streams every change to its watchers.
public final class FakeSchedulerAPI: SchedulerAPI {
    public struct BindError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    struct State {
        var pods: [String: JSON] = [:]
        var podOrder: [String] = []
        var nodes: [String: JSON] = [:]
        var nodeOrder: [String] = []
        var recorded: [SchedulerEvent] = []
        var bindings: [(pod: String, node: String)] = []
        var failingBinds = 0
        var statusWrites = 0
        var watchers: [AsyncThrowingStream<ClusterEvent, any Error>.Continuation] = []
        var finished = false
    }

    private let state = Mutex(State())

    public init(nodes: [JSON] = [], pods: [JSON] = []) {
        for n in nodes { addNode(n) }
        for p in pods { addPod(p) }
    }

    // MARK: SchedulerAPI

    public func events() -> AsyncThrowingStream<ClusterEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ClusterEvent, any Error>.makeStream()
        state.withLock { s in
            continuation.yield(.listed(.node, s.nodeOrder.compactMap { s.nodes[$0] }))
            continuation.yield(.listed(.pod, s.podOrder.compactMap { s.pods[$0] }))
            if s.finished { continuation.finish() } else { s.watchers.append(continuation) }
        }
        return stream
    }

    public func bind(namespace: String, name: String, uid: String, node: String) async throws -> BindOutcome {
        try state.withLock { s throws(BindError) -> BindOutcome in
            let key = "\(namespace)/\(name)"
            if s.failingBinds > 0 {
                s.failingBinds -= 1
                throw BindError("injected binding failure")
            }
            guard var pod = s.pods[key] else { throw BindError("pods \"\(name)\" not found") }
            guard pod["metadata"]?["uid"]?.string == uid, (pod["spec"]?["nodeName"]?.string ?? "").isEmpty else { return .conflict }
            pod[path: ["spec", "nodeName"]] = .string(node)
            s.pods[key] = pod
            s.bindings.append((key, node))
            Self.emit(&s, .modified(.pod, pod))
            return .bound
        }
    }

    public func setUnschedulable(namespace: String, name: String, message: String) async throws {
        state.withLock { s in
            guard var pod = s.pods["\(namespace)/\(name)"] else { return }
            s.statusWrites += 1
            let condition: JSON = ["type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(message)]
            var conditions = (pod["status"]?["conditions"]?.array ?? []).filter { $0["type"]?.string != "PodScheduled" }
            conditions.append(condition)
            pod[path: ["status", "conditions"]] = .array(conditions)
            s.pods["\(namespace)/\(name)"] = pod
            Self.emit(&s, .modified(.pod, pod))
        }
    }

    public func recordEvent(_ event: SchedulerEvent) async throws {
        state.withLock { $0.recorded.append(event) }
    }

    // MARK: Driving the fake

    public func addNode(_ node: JSON) {
        state.withLock { s in
            let name = node["metadata"]?["name"]?.string ?? ""
            if s.nodes.updateValue(node, forKey: name) == nil { s.nodeOrder.append(name) }
            Self.emit(&s, .added(.node, node))
        }
    }

    public func updateNode(_ node: JSON) {
        state.withLock { s in
            s.nodes[node["metadata"]?["name"]?.string ?? ""] = node
            Self.emit(&s, .modified(.node, node))
        }
    }

    public func deleteNode(named name: String) {
        state.withLock { s in
            guard let node = s.nodes.removeValue(forKey: name) else { return }
            s.nodeOrder.removeAll { $0 == name }
            Self.emit(&s, .deleted(.node, node))
        }
    }

    public func addPod(_ pod: JSON) {
        state.withLock { s in
            let key = Self.key(pod)
            if s.pods.updateValue(pod, forKey: key) == nil { s.podOrder.append(key) }
            Self.emit(&s, .added(.pod, pod))
        }
    }

    public func updatePod(_ pod: JSON) {
        state.withLock { s in
            s.pods[Self.key(pod)] = pod
            Self.emit(&s, .modified(.pod, pod))
        }
    }

    public func deletePod(namespace: String, name: String) {
        state.withLock { s in
            guard let pod = s.pods.removeValue(forKey: "\(namespace)/\(name)") else { return }
            s.podOrder.removeAll { $0 == "\(namespace)/\(name)" }
            Self.emit(&s, .deleted(.pod, pod))
        }
    }

    /// Makes the next `count` bind calls throw.
    public func failNextBinds(_ count: Int) {
        state.withLock { $0.failingBinds = count }
    }

    /// Ends every watch stream, and later ones after their lists, as a server shutting down would.
    public func finish() {
        state.withLock { s in
            s.finished = true
            for w in s.watchers { w.finish() }
            s.watchers = []
        }
    }

    public func pod(namespace: String, name: String) -> JSON? { state.withLock { $0.pods["\(namespace)/\(name)"] } }

    public func nodeName(namespace: String, name: String) -> String? {
        pod(namespace: namespace, name: name)?["spec"]?["nodeName"]?.string
    }

    public var recordedEvents: [SchedulerEvent] { state.withLock { $0.recorded } }

    public var bindCount: Int { state.withLock { $0.bindings.count } }

    public var statusWriteCount: Int { state.withLock { $0.statusWrites } }

    private static func key(_ pod: JSON) -> String {
        "\(pod["metadata"]?["namespace"]?.string ?? "default")/\(pod["metadata"]?["name"]?.string ?? "")"
    }

    private static func emit(_ s: inout State, _ event: ClusterEvent) {
        for w in s.watchers { w.yield(event) }
    }
}
