import Foundation
import KubeAPI
import KubeClient

/// `SchedulerAPI` over the API server's REST interface: reflectors of all pods and all nodes,
/// pods/binding, pods/status and Events, as kube-scheduler uses them.
public struct RESTSchedulerAPI: SchedulerAPI {
    let client: KubeClient

    public init(client: KubeClient) { self.client = client }

    public func events() -> AsyncThrowingStream<ClusterEvent, any Error> {
        let client = self.client
        return AsyncThrowingStream { continuation in
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    for (kind, path) in [(ClusterEvent.Kind.pod, "/api/v1/pods"), (.node, "/api/v1/nodes"),
                                         (.claim, "/api/v1/persistentvolumeclaims"), (.volume, "/api/v1/persistentvolumes"),
                                         (.storageClass, "/apis/storage.k8s.io/v1/storageclasses")] {
                        group.addTask {
                            for await event in Reflector(client: client, path: path).events() {
                                switch event {
                                case .replaced(let items): continuation.yield(.listed(kind, items))
                                case .added(let o): continuation.yield(.added(kind, o))
                                case .modified(let o): continuation.yield(.modified(kind, o))
                                case .deleted(let o): continuation.yield(.deleted(kind, o))
                                }
                            }
                        }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func bind(namespace: String, name: String, uid: String, node: String) async throws -> BindOutcome {
        let binding = APIObjects.binding(namespace: namespace, name: name, uid: uid, node: node)
        do {
            _ = try await client.create("/api/v1/namespaces/\(namespace)/pods/\(name)/binding", binding)
            return .bound
        } catch let e as KubeClientError where e.isConflict || e.isNotFound {
            return .conflict
        }
    }

    public func selectNode(namespace: String, claim: String, node: String) async throws {
        let patch: JSON = .object(JSONObject([("metadata", .object(JSONObject([
            ("annotations", .object(JSONObject([("volume.kubernetes.io/selected-node", .string(node))]))),
        ])))]))
        _ = try await client.patch("/api/v1/namespaces/\(namespace)/persistentvolumeclaims/\(claim)", patch, type: .merge)
    }

    public func setUnschedulable(namespace: String, name: String, message: String) async throws {
        let patch = APIObjects.unschedulableStatusPatch(message: message, now: Timestamp.string(Date()))
        do {
            _ = try await client.patch("/api/v1/namespaces/\(namespace)/pods/\(name)/status", patch, type: .strategic)
        } catch let e as KubeClientError where e.isNotFound {}
    }

    public func recordEvent(_ event: SchedulerEvent) async throws {
        let nanos = UInt64(Date().timeIntervalSince1970 * 1e9)
        let body = event.object(name: "\(event.podName).\(String(nanos, radix: 16))", now: Timestamp.string(Date()))
        _ = try await client.create("/api/v1/namespaces/\(event.namespace)/events", body)
    }
}
