import Foundation
import KubeAPI
import KubeClient
import Logging

/// Writes Events about claims from a component ("persistentvolume-controller", a node's
/// provisioner), folding a repeat of the same reason and message into a count on the existing
/// Event.
public actor ClaimEvents {
    private let client: KubeClient
    private let logger: Logger
    private let component: String
    private var written: [String: (name: String, count: Int64, at: Date)] = [:]
    /// A repeat sooner than this is not written again (the controller re-decides on every change).
    private let quietPeriod: TimeInterval = 15

    public init(client: KubeClient, component: String = "persistentvolume-controller", logger: Logger) {
        self.client = client
        self.component = component
        self.logger = logger
    }

    public func emit(_ claim: JSON, type: String, reason: String, message: String) async {
        let meta = claim["metadata"] ?? [:]
        let ns = meta.string("namespace") ?? "default", name = meta.string("name") ?? "", uid = meta.string("uid") ?? ""
        let key = "\(uid)|\(reason)|\(message)"
        let now = JSON.string(Timestamp.string(Date()))
        let path = "/api/v1/namespaces/\(ns)/events"
        if let prior = written[key] {
            if Date().timeIntervalSince(prior.at) < quietPeriod { return }
            let count = prior.count + 1
            let patch: JSON = .object(JSONObject([("count", .int(count)), ("lastTimestamp", now)]))
            if (try? await client.patch("\(path)/\(prior.name)", patch, type: .merge)) != nil {
                written[key] = (prior.name, count, Date())
                return
            }
        }
        let event: JSON = .object(JSONObject([
            ("apiVersion", "v1"), ("kind", "Event"),
            ("metadata", .object(JSONObject([("generateName", .string("\(name).")), ("namespace", .string(ns))]))),
            ("involvedObject", .object(JSONObject([("apiVersion", "v1"), ("kind", "PersistentVolumeClaim"), ("namespace", .string(ns)),
                                                   ("name", .string(name)), ("uid", .string(uid)),
                                                   ("resourceVersion", .string(meta.string("resourceVersion") ?? ""))]))),
            ("reason", .string(reason)), ("message", .string(message)),
            ("source", .object(JSONObject([("component", .string(component))]))),
            ("firstTimestamp", now), ("lastTimestamp", now), ("count", 1), ("type", .string(type)),
        ]))
        do {
            let created = try await client.create(path, event)
            if let n = created[path: ["metadata", "name"]]?.string { written[key] = (n, 1, Date()) }
        } catch {
            logger.debug("event not written", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }

    public func forget(uid: String) {
        written = written.filter { !$0.key.hasPrefix(uid + "|") }
    }
}
