import ArgumentParser
import CSIDriver
import Foundation
import Kubelet
import Logging
import ServiceLifecycle

/// `skiff csi-hostpath`: the host-path CSI driver alone, registered with a kubelet through its
/// plugin registry directory (as node-driver-registrar would).
struct CSIHostPathCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "csi-hostpath", abstract: "Run the host-path CSI driver alone.")

    @Option(help: "CSI endpoint, unix:///path.") var endpoint = "unix:///var/lib/skiff/kubelet/plugins/\(HostPathConfiguration.defaultDriverName)/csi.sock"
    @Option(help: "This node's name (default: the host name).") var nodeID: String?
    @Option(help: "Directory the volumes live in.") var stateDir = "/var/lib/skiff/csi-hostpath"
    @Option(help: "Kubelet root directory: the registration socket goes into its plugins_registry (empty: none).")
    var kubeletRootDir = "/var/lib/skiff/kubelet"
    @Option(help: "Driver name.") var driverName = HostPathConfiguration.defaultDriverName
    @Option(help: "Log level.") var logLevel = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "skiff.csi")
        var config = HostPathConfiguration(nodeID: nodeID ?? KubeletConfiguration.defaultNodeName, stateDirectory: absolute(stateDir),
                                           endpoint: endpoint)
        config.driverName = driverName
        if !kubeletRootDir.isEmpty { config.registrationDirectory = absolute(kubeletRootDir) + "/plugins_registry" }
        let server = try HostPathServer(configuration: config, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
