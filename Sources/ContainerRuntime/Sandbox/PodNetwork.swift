import CNI
import Foundation
import KubeAPI
import Logging

/// The pod network: the first conflist of the CNI config directory, written as a default
/// bridge network when the directory has none.
struct PodNetwork: Sendable {
    let configDirectory: String
    let pluginDirectories: [String]
    let defaultSubnet: String
    let defaultBridge: String
    /// host-local's reservations for the networks this runtime writes (one node's own, not the host's).
    let ipamDataDirectory: String?

    static let defaultFileName = "10-skiff.conflist"

    func load() throws -> CNINetwork {
        if let config = try CNIConfigList.load(fromDirectory: configDirectory) {
            return CNINetwork(config: config, pluginDirectories: pluginDirectories, executor: SpawnPluginExecutor())
        }
        let text = try writeDefault(subnet: defaultSubnet)
        return CNINetwork(config: try CNIConfigList(json: Data(text.utf8)), pluginDirectories: pluginDirectories, executor: SpawnPluginExecutor())
    }

    /// What became of a pod range handed over by the kubelet (CRI UpdateRuntimeConfig).
    enum PodCIDROutcome: Equatable {
        case written(subnet: String)
        case unchanged
        /// The directory's first config is someone else's: it stays in charge (containerd without a template does the same).
        case notOurs(file: String)
        case noIPv4
    }

    /// Writes the default network for the node's pod range, as containerd does from its CNI
    /// config template; pods created after this get addresses from it. A config the runtime
    /// did not write is left alone.
    func apply(podCIDR: String) throws -> PodCIDROutcome {
        guard let subnet = podCIDR.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { IPv4CIDR($0) != nil }) else { return .noIPv4 }
        if let first = CNIConfigList.configFiles(in: configDirectory).first, first != PodNetwork.defaultFileName { return .notOurs(file: first) }
        let path = configDirectory + "/" + PodNetwork.defaultFileName
        if let current = FileManager.default.contents(atPath: path), current == Data(defaultText(subnet: subnet).utf8) { return .unchanged }
        _ = try writeDefault(subnet: subnet)
        return .written(subnet: subnet)
    }

    private func defaultText(subnet: String) -> String {
        CNIConfigList.defaultBridge(bridge: defaultBridge, subnet: subnet, ipamDataDir: ipamDataDirectory)
    }

    private func writeDefault(subnet: String) throws -> String {
        try Files.mkdir(configDirectory)
        let text = defaultText(subnet: subnet)
        try Files.writeAtomically(Data(text.utf8), to: configDirectory + "/" + PodNetwork.defaultFileName)
        return text
    }

    /// NetworkReady: a config exists (or can be written) and its plugins are installed.
    func readiness() -> (ready: Bool, message: String) {
        do {
            let network = try load()
            for type in network.config.pluginTypes where network.locate(type) == nil {
                return (false, "CNI plugin \(type) not found in \(pluginDirectories.joined(separator: ":"))")
            }
            return (true, "")
        } catch {
            return (false, "CNI config: \(error)")
        }
    }
}
