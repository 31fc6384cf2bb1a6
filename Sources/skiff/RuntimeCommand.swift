import ArgumentParser
import ContainerRuntime
import CShims
import Foundation
import Logging
import ServiceLifecycle

struct RuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runtime", abstract: "Run the CRI server alone.")

    @Option(help: "CRI socket path.") var listen = "/run/skiff/cri.sock"
    @Option(help: "Volatile state directory.") var stateDir = "/run/skiff/runtime"
    @Option(help: "Persistent state directory (images, records, writable layers).") var rootDir = "/var/lib/skiff/runtime"
    @Option(help: "CNI configuration directory.") var cniConfDir = "/etc/cni/net.d"
    @Option(help: "CNI plugin directory (repeatable).") var cniBinDir: [String] = []
    @Option(help: "Subnet of the default bridge network written when no CNI config exists.") var podSubnet = "10.88.0.0/16"
    @Option(help: "Bridge name of the default network.") var bridge = "skiff0"
    @Option(help: "Registry endpoint override, DOMAIN=URL[,URL] (repeatable), e.g. docker.io=http://127.0.0.1:5000.")
    var registryMirror: [String] = []
    @Option(help: "cgroup under which pods without a cgroup parent are placed.") var cgroupRoot = "/skiff"
    @Option(help: "Log level.") var logLevel = "info"

    func run() async throws {
        // Few malloc arenas: the runtime's many short-lived threads (one per child process wait)
        // would otherwise each keep an arena of megabytes.
        skiff_limit_malloc_arenas(2)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "skiff.runtime")
        var config = RuntimeConfiguration()
        config.listenPath = listen
        config.stateDirectory = stateDir
        config.rootDirectory = rootDir
        config.cniConfigDirectory = cniConfDir
        if !cniBinDir.isEmpty { config.cniPluginDirectories = cniBinDir }
        config.defaultPodSubnet = podSubnet
        config.defaultBridgeName = bridge
        config.registryHosts = try RegistryHosts(parsing: registryMirror)
        config.cgroupRoot = cgroupRoot
        let runtime = try await NodeRuntime(configuration: config, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: CRIServer(runtime: runtime, logger: logger))],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
