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
    @Option(help: ArgumentHelp("Test only: CSI calls to hold half-done (CreateVolume,DeleteVolume,NodeStageVolume,NodePublishVolume).",
                               visibility: .hidden))
    var testPauseIn = ""
    @Option(help: ArgumentHelp("Test only: how long a held call waits, in seconds.", visibility: .hidden))
    var testPauseSeconds = 60.0

    func validate() throws {
        if case .failure(let e) = HostPathPause.parse(testPauseIn) { throw ValidationError("--test-pause-in: \(e)") }
    }

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
        config.pauses = (try? HostPathPause.parse(testPauseIn).get()) ?? []
        config.pauseDuration = .milliseconds(Int64(testPauseSeconds * 1000))
        if !kubeletRootDir.isEmpty { config.registrationDirectory = absolute(kubeletRootDir) + "/plugins_registry" }
        let server = try HostPathServer(configuration: config, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
