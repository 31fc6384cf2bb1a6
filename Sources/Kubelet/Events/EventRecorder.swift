import Foundation
import KubeAPI

/// Turns kubelet events into core/v1 Event objects, folding repeats of the same event into one
/// object with a growing count, as client-go's correlator does. A value type: `record` returns
/// what to send, and the caller posts it.
public struct EventRecorder: Sendable {
    public enum Write: Sendable, Equatable {
        /// POST to /api/v1/namespaces/{ns}/events.
        case create(JSON)
        /// A repeat: replace the named event with this one (new count and lastTimestamp).
        case update(name: String, JSON)
    }

    struct Key: Hashable {
        var podUID: String
        var fieldPath: String?
        var type: KubeletEvent.EventType
        var reason: String
        var message: String
    }

    struct Seen {
        var name: String
        var count: Int64
        var first: Date
    }

    public let host: String
    private var seen: [Key: Seen] = [:]

    public init(host: String) { self.host = host }

    public mutating func record(_ event: KubeletEvent, pod: PodSpecView, now: Date) -> Write {
        let key = Key(podUID: pod.uid, fieldPath: event.fieldPath, type: event.type, reason: event.reason, message: event.message)
        if var s = seen[key] {
            s.count += 1
            seen[key] = s
            return .update(name: s.name, json(event, pod: pod, name: s.name, count: s.count, first: s.first, last: now))
        }
        // `<pod>.<unix nanos in hex>`, client-go's naming, unique enough per pod.
        let nanos = UInt64(max(0, now.timeIntervalSince1970) * 1e9)
        let name = "\(pod.name).\(String(nanos, radix: 16))"
        seen[key] = Seen(name: name, count: 1, first: now)
        return .create(json(event, pod: pod, name: name, count: 1, first: now, last: now))
    }

    /// Forgets a deleted pod's events.
    public mutating func forget(podUID: String) { seen = seen.filter { $0.key.podUID != podUID } }

    private func json(_ e: KubeletEvent, pod: PodSpecView, name: String, count: Int64, first: Date, last: Date) -> JSON {
        var involved = JSONObject([("kind", "Pod"), ("namespace", .string(pod.namespace)), ("name", .string(pod.name)),
                                   ("uid", .string(pod.uid)), ("apiVersion", "v1")])
        if let path = e.fieldPath { involved["fieldPath"] = .string(path) }
        return .object(JSONObject([
            ("apiVersion", "v1"),
            ("kind", "Event"),
            ("metadata", .object(JSONObject([("name", .string(name)), ("namespace", .string(pod.namespace))]))),
            ("involvedObject", .object(involved)),
            ("reason", .string(e.reason)),
            ("message", .string(e.message)),
            ("source", .object(JSONObject([("component", "kubelet"), ("host", .string(host))]))),
            ("firstTimestamp", Timestamp.json(first)),
            ("lastTimestamp", Timestamp.json(last)),
            ("count", .int(count)),
            ("type", .string(e.type.rawValue)),
            ("eventTime", .null),
            ("reportingComponent", "kubelet"),
            ("reportingInstance", .string(host)),
        ]))
    }
}
