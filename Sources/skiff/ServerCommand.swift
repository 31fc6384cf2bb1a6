import APIServer
import ArgumentParser
import ContainerRuntime
import CSIDriver
import Foundation
import CShims
import KubeClient
import Kubelet
import Controllers
import Logging
import Scheduler
import ServiceLifecycle
import Storage

struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Run the all-in-one server: API server on an embedded SQLite store.")

    @Option(help: "Directory for the store, certificates and kubeconfig.")
    var dataDir = "/var/lib/skiff"

    @Option(help: "Address the API server listens on.")
    var bindAddress = "127.0.0.1"

    @Option(help: "Port the API server listens on (0 picks a free one).")
    var port = 6443

    @Option(help: "How long Events are kept, in seconds.")
    var eventTTL: Double = 3600

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    @Flag(help: "Do not run the container runtime in this process (it needs root); without --container-runtime-endpoint there is no kubelet either.")
    var disableRuntime = false

    @Flag(help: "Run the control plane only: no kubelet and no runtime in this process.")
    var disableAgent = false

    @Flag(help: "Do not run the scheduler in this process.")
    var disableScheduler = false

    @Flag(help: "Do not run the controllers (node lifecycle) in this process.")
    var disableControllers = false

    @OptionGroup(title: "Container runtime") var runtime: RuntimeOptions
    @OptionGroup(title: "Kubelet") var kubelet: KubeletOptions
    @OptionGroup(title: "CSI") var csi: CSIOptions

    func run() async throws {
        skiff_limit_malloc_arenas(2)
        var logger = Logger(label: "skiff")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let backend = try SQLiteBackend(path: dataDir + "/state.db")
        var config = APIServerConfiguration(dataDir: dataDir)
        config.bindAddress = bindAddress
        config.port = port
        config.eventTTL = eventTTL
        let kubeconfig = config.kubeconfigPath
        let host = config.clientHost
        let ready = OneShot<Int>()
        let server = try APIServer(configuration: config, backend: backend, logger: logger,
                                   admission: AdmissionChain([DefaultTolerationSeconds(), DefaultStorageClass(),
                                                              StorageObjectInUseProtection()])) { boundPort in
            // Tests read this line to find the port; people read it to point kubectl here.
            FileHandle.standardOutput.write(Data("skiff: API server ready on https://\(host):\(boundPort)\nexport KUBECONFIG=\(kubeconfig)\n".utf8))
            ready.fulfill(boundPort)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server)]
        let runtimeInProcess = !disableAgent && !disableRuntime && kubelet.containerRuntimeEndpoint == nil
        if runtimeInProcess {
            if getuid() == 0 {
                // The node's runtime, served on its CRI socket like `skiff runtime`: a kubelet reaches it only there.
                let node = try await NodeRuntime(configuration: try runtime.configuration(), logger: logger)
                services.append(.init(service: CRIServer(runtime: node, logger: logger)))
            } else {
                logger.notice("not root: the container runtime is not started (use skiff runtime as root)")
            }
        }
        let dataDir = self.dataDir, componentLogger = logger
        // The host-path CSI driver beside the in-process kubelet; the PV controller provisions through it.
        let kubeletRuns = !disableAgent && (kubelet.containerRuntimeEndpoint != nil || (runtimeInProcess && getuid() == 0))
        var driver: HostPathConfiguration?
        if kubeletRuns && !csi.disableCSI {
            driver = csi.configuration(kubelet: kubelet.configuration(defaultEndpoint: ""), defaultStateDir: dataDir + "/csi-hostpath")
            services.append(.init(service: try HostPathServer(configuration: driver!, logger: logger)))
        }
        let provisioners = driver.map { [$0.driverName: $0.endpoint] } ?? [:]
        // In-process components reach the API server like any client: over HTTPS, once it listens.
        let connect: @Sendable (String) async throws -> KubeClient = { agent in
            let port = await ready.value
            let pki = dataDir + "/pki"
            var clientConfig = KubeClientConfiguration(
                server: "https://\(host):\(port)",
                token: try String(contentsOfFile: pki + "/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                caCertificatePEM: try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8))
            clientConfig.userAgent = agent
            return try KubeClient(configuration: clientConfig)
        }
        if !disableControllers {
            services.append(.init(service: DeferredService(logger: logger) {
                let client = try await connect("skiff-controller-manager")
                var pvConfig = PersistentVolumeController.Configuration()
                pvConfig.provisioners = provisioners
                let nodes = NodeLifecycleController(client: client, logger: componentLogger)
                let volumes: PersistentVolumeController
                do { volumes = try PersistentVolumeController(client: client, configuration: pvConfig, logger: componentLogger) } catch {
                    Self.closeLater(client)
                    throw error
                }
                var controllers: [@Sendable () async -> Void] = [{ await nodes.run() }, { await volumes.run() }]
                if !provisioners.isEmpty {
                    controllers.append { await DefaultStorageClassBootstrap.ensure(client, logger: componentLogger) }
                }
                return (ControllerService(controllers: controllers), { Self.closeLater(client) })
            }))
        }
        if !disableScheduler {
            services.append(.init(service: DeferredService(logger: logger) {
                let client = try await connect("skiff-scheduler")
                let scheduler = try Scheduler(api: RESTSchedulerAPI(client: client), clock: ContinuousClock(), logger: componentLogger)
                return (SchedulerService(scheduler: scheduler), { Self.closeLater(client) })
            }))
        }
        if kubeletRuns {
            let kubeletConfig = kubelet.configuration(defaultEndpoint: "unix://" + absolute(runtime.listen))
            services.append(.init(service: DeferredService(logger: logger) {
                let client = try await connect("skiff-kubelet/\(kubeletConfig.nodeName)")
                var kubeletConfig = kubeletConfig
                let serving = try ClusterCredentials.issueServing(
                    dir: dataDir, commonName: "system:node:\(kubeletConfig.nodeName)",
                    hosts: Array(Set([kubeletConfig.nodeIP, kubeletConfig.nodeName, "127.0.0.1", "localhost"])))
                kubeletConfig.tlsCertificatePEM = serving.certificatePEM
                kubeletConfig.tlsKeyPEM = serving.keyPEM
                kubeletConfig.authorizedTokens = [client.configuration.token]
                return (Kubelet(configuration: kubeletConfig, client: client, logger: componentLogger), { Self.closeLater(client) })
            }))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await backend.close()
    }

    /// Starts closing a component's client without waiting: its TLS connections take seconds to
    /// wind down, and nothing after shutdown needs them.
    static func closeLater(_ client: KubeClient) {
        Task.detached { await client.shutdown() }
    }
}
