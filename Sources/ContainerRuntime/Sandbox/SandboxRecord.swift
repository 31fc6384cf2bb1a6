import CRI
import Foundation

/// A pod sandbox as persisted: its CRI config (protobuf bytes), namespaces and network.
struct SandboxRecord: Codable, Sendable {
    enum State: String, Codable, Sendable { case ready, notReady }

    var id: String
    var configData: Data
    var runtimeHandler: String
    var createdAt: Int64
    var state: State
    /// Bind-mounted namespace files; nil when the pod uses the node's namespace.
    var netnsPath: String?
    var ipcPath: String?
    /// The shared PID namespace and its holder process (pid POD only).
    var pidnsPath: String?
    var holderPID: Int32?
    var ips: [String]
    var cniResult: Data?
    var cgroupParent: String
    /// Holds the pod's hostname, hosts and resolv.conf files.
    var directory: String

    var config: Runtime_V1_PodSandboxConfig {
        (try? Runtime_V1_PodSandboxConfig(serializedBytes: configData)) ?? .init()
    }
}
