import CNI
import Foundation
import Logging

/// The pod network: the first conflist of the CNI config directory, written as a default
/// bridge network when the directory has none.
struct PodNetwork: Sendable {
    let configDirectory: String
    let pluginDirectories: [String]
    let defaultSubnet: String
    let defaultBridge: String

    static let defaultFileName = "10-skiff.conflist"

    func load() throws -> CNINetwork {
        if let config = try CNIConfigList.load(fromDirectory: configDirectory) {
            return CNINetwork(config: config, pluginDirectories: pluginDirectories, executor: SpawnPluginExecutor())
        }
        try Files.mkdir(configDirectory)
        let text = CNIConfigList.defaultBridge(bridge: defaultBridge, subnet: defaultSubnet)
        try Files.writeAtomically(Data(text.utf8), to: configDirectory + "/" + PodNetwork.defaultFileName)
        return CNINetwork(config: try CNIConfigList(json: Data(text.utf8)), pluginDirectories: pluginDirectories, executor: SpawnPluginExecutor())
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
