import Foundation
import KubeAPI
import KubeClient
import Logging

/// Notices nodes that stopped reporting: after the grace period (50 s) without a Lease renewal
/// or status, the node's conditions become Unknown, it is tainted unreachable (not-ready when its
/// kubelet says Ready=False), its pods are marked not Ready, and pods are evicted once their
/// toleration of the taint runs out. A node that comes back loses the taints. Talks REST only.
public actor NodeLifecycleController {
    public struct Configuration: Sendable {
        public var gracePeriod: TimeInterval = 50
        public var monitorPeriod: Duration = .seconds(5)
        public init() {}
    }

    private let client: KubeClient
    private let configuration: Configuration
    private let logger: Logger
    private var nodes: [String: JSON] = [:]
    private var leases: [String: Date] = [:]
    private var pods: [String: JSON] = [:]
    private var synced: Set<String> = []
    private var evicted: Set<String> = []

    public init(client: KubeClient, configuration: Configuration = Configuration(), logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.follow("nodes", "/api/v1/nodes") }
            group.addTask { await self.follow("leases", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases") }
            group.addTask { await self.follow("pods", "/api/v1/pods") }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.configuration.monitorPeriod)
                    await self.monitor(now: Date())
                }
            }
        }
    }

    private func follow(_ kind: String, _ path: String) async {
        for await event in Reflector(client: client, path: path).events() {
            apply(kind, event)
        }
    }

    private func apply(_ kind: String, _ event: InformerEvent) {
        func key(_ o: JSON) -> String {
            kind == "pods" ? o[path: ["metadata", "uid"]]?.string ?? "" : o[path: ["metadata", "name"]]?.string ?? ""
        }
        func store(_ o: JSON?, _ k: String) {
            switch kind {
            case "nodes": nodes[k] = o
            case "pods": pods[k] = o
            default: leases[k] = o.flatMap { Timestamp.parse($0[path: ["spec", "renewTime"]]?.string) }
            }
        }
        switch event {
        case .replaced(let items):
            switch kind {
            case "nodes": nodes = [:]
            case "pods": pods = [:]
            default: leases = [:]
            }
            for o in items { store(o, key(o)) }
            synced.insert(kind)
        case .added(let o), .modified(let o): store(o, key(o))
        case .deleted(let o): store(nil, key(o))
        }
    }

    private func monitor(now: Date) async {
        guard synced.count == 3 else { return }
        for (name, node) in nodes {
            let health = NodeHealth.of(node: node, leaseRenewed: leases[name], now: now, grace: configuration.gracePeriod)
            let current = node[path: ["spec", "taints"]]?.array ?? []
            var taints = current
            if health == .unreachable { await markUnknown(name, node, now: now) }
            if let desired = health.taints(current, now: now) {
                taints = desired
                do {
                    _ = try await client.patch("/api/v1/nodes/\(name)", .object(JSONObject([("spec", .object(JSONObject([("taints", .array(desired))])))])),
                                               type: .merge)
                    logger.info("node taints updated", metadata: ["node": "\(name)", "health": "\(health)"])
                } catch {
                    logger.warning("node taints not updated", metadata: ["node": "\(name)", "error": "\(error)"])
                }
            }
            guard health != .ready else { continue }
            for (uid, pod) in pods where pod[path: ["spec", "nodeName"]]?.string == name
                && pod[path: ["metadata", "deletionTimestamp"]] == nil && !evicted.contains(uid) {
                if case .now = TaintEviction.decide(pod: pod, taints: taints, now: now) { await evict(uid, pod) }
            }
        }
        evicted = evicted.intersection(pods.keys)
    }

    /// Conditions become Unknown, once; the node's pods are no longer Ready.
    private func markUnknown(_ name: String, _ node: JSON, now: Date) async {
        let conditions = node[path: ["status", "conditions"]]?.array ?? []
        guard conditions.contains(where: { $0["type"]?.string == "Ready" && $0["status"]?.string != "Unknown" }) else { return }
        let stamp = JSON.string(Timestamp.string(now))
        let unknown: [JSON] = conditions.map { c in
            guard var o = c.object else { return c }
            o["status"] = "Unknown"
            o["reason"] = "NodeStatusUnknown"
            o["message"] = "Kubelet stopped posting node status."
            o["lastTransitionTime"] = stamp
            return .object(o)
        }
        do {
            _ = try await client.patch("/api/v1/nodes/\(name)/status",
                                       .object(JSONObject([("status", .object(JSONObject([("conditions", .array(unknown))])))])), type: .merge)
            logger.notice("node stopped reporting", metadata: ["node": "\(name)"])
        } catch {
            logger.warning("node status not updated", metadata: ["node": "\(name)", "error": "\(error)"])
        }
        for pod in pods.values where pod[path: ["spec", "nodeName"]]?.string == name {
            guard let ns = pod[path: ["metadata", "namespace"]]?.string, let podName = pod[path: ["metadata", "name"]]?.string else { continue }
            let ready: JSON = .object(JSONObject([("type", "Ready"), ("status", "False"), ("lastTransitionTime", stamp)]))
            _ = try? await client.patch("/api/v1/namespaces/\(ns)/pods/\(podName)/status",
                                        .object(JSONObject([("status", .object(JSONObject([("conditions", .array([ready]))])))])), type: .strategic)
        }
    }

    private func evict(_ uid: String, _ pod: JSON) async {
        guard let ns = pod[path: ["metadata", "namespace"]]?.string, let name = pod[path: ["metadata", "name"]]?.string else { return }
        evicted.insert(uid)
        let options: JSON = .object(JSONObject([("kind", "DeleteOptions"), ("apiVersion", "v1"),
                                                ("preconditions", .object(JSONObject([("uid", .string(uid))])))]))
        do {
            _ = try await client.delete("/api/v1/namespaces/\(ns)/pods/\(name)", options: options)
            let now = JSON.string(Timestamp.string(Date()))
            let event: JSON = .object(JSONObject([
                ("apiVersion", "v1"), ("kind", "Event"),
                ("metadata", .object(JSONObject([("generateName", .string("\(name).")), ("namespace", .string(ns))]))),
                ("involvedObject", .object(JSONObject([("apiVersion", "v1"), ("kind", "Pod"), ("namespace", .string(ns)),
                                                       ("name", .string(name)), ("uid", .string(uid))]))),
                ("reason", "TaintManagerEviction"), ("message", .string("Marking for deletion Pod \(ns)/\(name)")),
                ("source", .object(JSONObject([("component", "taint-eviction-controller")]))),
                ("firstTimestamp", now), ("lastTimestamp", now), ("count", 1), ("type", "Normal"),
            ]))
            _ = try? await client.create("/api/v1/namespaces/\(ns)/events", event)
            logger.info("pod evicted from a lost node", metadata: ["pod": "\(ns)/\(name)"])
        } catch {
            evicted.remove(uid)
        }
    }
}
