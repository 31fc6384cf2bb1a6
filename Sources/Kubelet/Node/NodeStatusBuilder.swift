import Foundation
import KubeAPI

/// The Node object a kubelet registers and the status it reports (setters in nodestatus upstream).
/// Pure: the machine, runtime health and images are read before.
public struct NodeStatusBuilder: Sendable {
    public struct RuntimeHealth: Sendable, Equatable {
        public var runtimeReady: Bool
        public var networkReady: Bool
        public var message: String
        public init(runtimeReady: Bool, networkReady: Bool, message: String = "") {
            self.runtimeReady = runtimeReady
            self.networkReady = networkReady
            self.message = message
        }
    }

    public var config: KubeletConfiguration
    public var machine: MachineInfo
    public var runtimeVersion: String
    public static let kubeletVersion = "v1.32.0-skiff"

    public init(config: KubeletConfiguration, machine: MachineInfo, runtimeVersion: String) {
        self.config = config
        self.machine = machine
        self.runtimeVersion = runtimeVersion
    }

    /// The Node to create at registration.
    public func node(status: JSON) -> JSON {
        var labels = JSONObject([
            ("beta.kubernetes.io/arch", .string(Self.arch)), ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", .string(Self.arch)), ("kubernetes.io/hostname", .string(config.nodeName)),
            ("kubernetes.io/os", "linux"),
        ])
        for (k, v) in config.nodeLabels.sorted(by: { $0.key < $1.key }) { labels[k] = .string(v) }
        var spec = JSONObject()
        let taints = config.registerTaints.compactMap(Self.taint)
        if !taints.isEmpty { spec["taints"] = .array(taints) }
        return .object(JSONObject([
            ("apiVersion", "v1"), ("kind", "Node"),
            ("metadata", .object(JSONObject([("name", .string(config.nodeName)), ("labels", .object(labels)),
                                             ("annotations", .object(JSONObject([("node.alpha.kubernetes.io/ttl", "0")])))]))),
            ("spec", .object(spec)),
            ("status", status),
        ]))
    }

    /// `key=value:Effect` or `key:Effect`.
    static func taint(_ text: String) -> JSON? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let kv = parts[0].split(separator: "=", maxSplits: 1).map(String.init)
        var t = JSONObject([("key", .string(kv[0]))])
        if kv.count == 2 { t["value"] = .string(kv[1]) }
        t["effect"] = .string(parts[1])
        return .object(t)
    }

    /// The status; condition times come from `previous` when a condition did not change.
    public func status(health: RuntimeHealth, images: [JSON], previous: JSON?, now: Date) -> JSON {
        let ready = health.runtimeReady && health.networkReady
        let readyMessage = ready ? "kubelet is posting ready status"
            : !health.runtimeReady ? "container runtime is down: \(health.message)"
            : "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:\(health.message)"
        let conditions: [(String, Bool, String, String)] = [
            ("MemoryPressure", false, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", false, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", false, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", ready, ready ? "KubeletReady" : "KubeletNotReady", readyMessage),
        ]
        let old = previous?["conditions"]?.array ?? []
        let stamp = Timestamp.json(now)
        let conditionJSON: [JSON] = conditions.map { type, status, reason, message in
            let s = status ? "True" : "False"
            let prior = old.first { $0["type"]?.string == type }
            let transition = prior?["status"]?.string == s ? prior?["lastTransitionTime"] ?? stamp : stamp
            return .object(JSONObject([("type", .string(type)), ("status", .string(s)), ("lastHeartbeatTime", stamp),
                                       ("lastTransitionTime", transition), ("reason", .string(reason)), ("message", .string(message))]))
        }
        func quantities(_ q: [String: Quantity]) -> JSON {
            .object(JSONObject(q.keys.sorted().map { ($0, .string(q[$0]!.description)) }))
        }
        return .object(JSONObject([
            ("capacity", quantities(machine.capacity)),
            ("allocatable", quantities(machine.allocatable)),
            ("conditions", .array(conditionJSON)),
            ("addresses", .array([
                .object(JSONObject([("type", "InternalIP"), ("address", .string(config.nodeIP))])),
                .object(JSONObject([("type", "Hostname"), ("address", .string(config.nodeName))])),
            ])),
            ("daemonEndpoints", .object(JSONObject([("kubeletEndpoint", .object(JSONObject([("Port", .int(Int64(config.port)))])))]))),
            ("nodeInfo", .object(JSONObject([
                ("machineID", .string(machine.machineID)), ("systemUUID", .string(machine.machineID)),
                ("bootID", .string(machine.bootID)), ("kernelVersion", .string(machine.kernelVersion)),
                ("osImage", .string(machine.osImage)), ("containerRuntimeVersion", .string(runtimeVersion)),
                ("kubeletVersion", .string(Self.kubeletVersion)), ("kubeProxyVersion", ""),
                ("operatingSystem", "linux"), ("architecture", .string(Self.arch)),
            ]))),
            ("images", .array(images)),
        ]))
    }

    /// The status without heartbeat times, to tell whether anything worth reporting changed.
    public static func essence(_ status: JSON?) -> JSON? {
        guard var o = status?.object else { return nil }
        if let conditions = o["conditions"]?.array {
            o["conditions"] = .array(conditions.map { c in
                guard var co = c.object else { return c }
                co["lastHeartbeatTime"] = nil
                return .object(co)
            })
        }
        return .object(o)
    }

    static var arch: String {
        #if arch(arm64)
        "arm64"
        #else
        "amd64"
        #endif
    }
}
