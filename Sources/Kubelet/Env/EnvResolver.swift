import Foundation
import KubeAPI

/// Builds a container's environment and expands its command and args (makeEnvironmentVariables
/// upstream), from the ConfigMaps and Secrets of the pod's namespace as fetched JSON objects.
/// A missing object or key that is not optional is an `EnvError`.
public struct EnvResolver: Sendable {
    public struct Result: Sendable, Equatable {
        /// In definition order; a later definition of a name replaces the value in place.
        public var env: [EnvVar]
        public var command: [String]
        public var args: [String]
        /// Messages for a Warning event, reason InvalidEnvironmentVariableNames.
        public var warnings: [String]
    }

    public struct EnvVar: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var pod: PodSpecView
    /// By name, in the pod's namespace; absent means not found.
    public var configMaps: [String: JSON]
    public var secrets: [String: JSON]
    public var podIPs: [String]
    public var hostIPs: [String]
    /// Stands in for unset limits in `resourceFieldRef`.
    public var nodeAllocatable: [String: Quantity]
    /// Service variables (the `kubernetes` service's), first, so the container's own env can override them.
    public var serviceEnv: [EnvVar]

    public init(pod: PodSpecView, configMaps: [String: JSON] = [:], secrets: [String: JSON] = [:], podIPs: [String] = [],
                hostIPs: [String] = [], nodeAllocatable: [String: Quantity] = [:], serviceEnv: [EnvVar] = []) {
        self.serviceEnv = serviceEnv
        self.pod = pod
        self.configMaps = configMaps
        self.secrets = secrets
        self.podIPs = podIPs
        self.hostIPs = hostIPs
        self.nodeAllocatable = nodeAllocatable
    }

    /// The variables Kubernetes gives every container for a service reachable at host:port over TCP.
    public static func serviceVariables(_ name: String, host: String, port: Int) -> [EnvVar] {
        let n = name.uppercased().replacingOccurrences(of: "-", with: "_")
        let p = "\(n)_PORT_\(port)_TCP"
        return [EnvVar("\(n)_SERVICE_HOST", host), EnvVar("\(n)_SERVICE_PORT", String(port)),
                EnvVar("\(n)_SERVICE_PORT_HTTPS", String(port)), EnvVar("\(n)_PORT", "tcp://\(host):\(port)"),
                EnvVar(p, "tcp://\(host):\(port)"), EnvVar(p + "_PROTO", "tcp"), EnvVar(p + "_PORT", String(port)),
                EnvVar(p + "_ADDR", host)]
    }

    public func resolve(_ container: ContainerSpec) throws(EnvError) -> Result {
        var env: [EnvVar] = []
        var index: [String: Int] = [:]
        var warnings: [String] = []
        func set(_ name: String, _ value: String) {
            if let i = index[name] { env[i].value = value } else { index[name] = env.count; env.append(EnvVar(name, value)) }
        }
        for v in serviceEnv { set(v.name, v.value) }

        for from in container.envFrom {
            let kind = from.kind == .configMap ? "configmap" : "secret"
            guard let object = (from.kind == .configMap ? configMaps : secrets)[from.name] else {
                if from.optional { continue }
                throw .notFound(kind, from.name)
            }
            var invalid: [String] = []
            for (key, value) in data(object, secret: from.kind == .secret).sorted(by: { $0.key < $1.key }) {
                let name = from.prefix + key
                guard NameRules.isRelaxedEnvVarName(name).isEmpty else { invalid.append(name); continue }
                set(name, value)
            }
            if !invalid.isEmpty {
                let what = from.kind == .configMap ? "configMap" : "secret"
                warnings.append("Keys [\(invalid.sorted().joined(separator: ", "))] from the EnvFrom \(what) \(pod.namespace)/\(from.name) were skipped since they are considered invalid environment variable names.")
            }
        }

        for variable in container.env {
            let value: String
            switch variable.source {
            case .value(let text):
                // References see only what is defined before them.
                value = VariableExpansion.expand(text) { name in index[name].map { env[$0].value } }
            case .fieldRef(let path):
                value = try DownwardAPI.field(path, pod: pod, podIPs: podIPs, hostIPs: hostIPs)
            case .resourceFieldRef(let containerName, let resource, let divisor):
                let target = containerName.flatMap { pod.container(named: $0) } ?? container
                value = try DownwardAPI.resource(resource, divisor: divisor, container: target, allocatable: nodeAllocatable)
            case .configMapKeyRef(let name, let key, let optional):
                guard let found = try lookup(configMaps, "configmap", "ConfigMap", name, key, optional, secret: false) else { continue }
                value = found
            case .secretKeyRef(let name, let key, let optional):
                guard let found = try lookup(secrets, "secret", "Secret", name, key, optional, secret: true) else { continue }
                value = found
            }
            set(variable.name, value)
        }

        let lookup: (String) -> String? = { name in index[name].map { env[$0].value } }
        return Result(env: env, command: container.command.map { VariableExpansion.expand($0, lookup) },
                      args: container.args.map { VariableExpansion.expand($0, lookup) }, warnings: warnings)
    }

    private func lookup(_ objects: [String: JSON], _ kind: String, _ kindTitle: String, _ name: String, _ key: String,
                        _ optional: Bool, secret: Bool) throws(EnvError) -> String? {
        guard let object = objects[name] else {
            if optional { return nil }
            throw .notFound(kind, name)
        }
        guard let value = data(object, secret: secret)[key] else {
            if optional { return nil }
            throw EnvError(message: "couldn't find key \(key) in \(kindTitle) \(pod.namespace)/\(name)")
        }
        return value
    }

    /// A ConfigMap's `data`; a Secret's `data`, base64-decoded.
    private func data(_ object: JSON, secret: Bool) -> [String: String] {
        let raw = object.stringMap("data")
        guard secret else { return raw }
        return raw.compactMapValues { Data(base64Encoded: $0).map { String(decoding: $0, as: UTF8.self) } }
    }
}
