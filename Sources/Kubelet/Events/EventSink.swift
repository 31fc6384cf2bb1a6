import Foundation
import KubeAPI
import KubeClient
import Logging
import Synchronization

/// Posts the kubelet's events to the API server, folding repeats into counts (EventRecorder).
/// Fire and forget: an event that cannot be written is logged, never a reason to fail a sync.
public final class EventSink: Sendable {
    private let client: KubeClient
    private let recorder: Mutex<EventRecorder>
    private let logger: Logger

    public init(client: KubeClient, host: String, logger: Logger) {
        self.client = client
        recorder = Mutex(EventRecorder(host: host))
        self.logger = logger
    }

    public func emit(_ event: KubeletEvent, pod: PodSpecView) {
        let write = recorder.withLock { $0.record(event, pod: pod, now: Date()) }
        let client = self.client, logger = self.logger
        let path = "/api/v1/namespaces/\(pod.namespace)/events"
        Task {
            do {
                switch write {
                case .create(let json):
                    _ = try await client.create(path, json)
                case .update(let name, let json):
                    let patch: JSON = .object(JSONObject([("count", json["count"] ?? 1), ("lastTimestamp", json["lastTimestamp"] ?? .null),
                                                          ("message", json["message"] ?? "")]))
                    do { _ = try await client.patch("\(path)/\(name)", patch, type: .merge) } catch let e as KubeClientError where e.isNotFound {
                        _ = try await client.create(path, json)
                    }
                }
            } catch {
                logger.debug("event not written", metadata: ["reason": "\(event.reason)", "error": "\(error)"])
            }
        }
    }

    public func forget(podUID: String) { recorder.withLock { $0.forget(podUID: podUID) } }
}
