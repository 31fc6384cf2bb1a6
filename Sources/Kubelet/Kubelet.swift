import CRI
import Foundation
import KubeAPI
import KubeClient
import Logging
import ServiceLifecycle

/// The node agent as a service: registers the node, keeps its Lease, and runs the pods bound to
/// it through CRI, reporting their status. Talks to the API server only through `client` (REST)
/// and to the runtime only through its CRI socket.
public final class Kubelet: Service, Sendable {
    public let configuration: KubeletConfiguration
    private let client: KubeClient
    private let logger: Logger

    public init(configuration: KubeletConfiguration, client: KubeClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        var logger = logger
        logger[metadataKey: "component"] = "kubelet"
        self.logger = logger
    }

    public func run() async throws {
        let config = configuration
        try FileManager.default.createDirectory(atPath: config.rootDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: config.podLogsDirectory, withIntermediateDirectories: true)
        let cri = try CRIRuntimeClient(endpoint: config.runtimeEndpoint)
        defer { cri.close() }
        let machine = config.machine ?? MachineInfo.read(rootDirectory: config.rootDirectory, maxPods: config.maxPods)
        let handlers = HandlerRunner(cri: cri)
        let drivers = CSIDriverRegistry()
        let ctx = KubeletContext(
            config: config, client: client, cri: cri, observer: RuntimeObserver(cri: cri), store: PodStore(),
            events: EventSink(client: client, host: config.nodeName, logger: logger),
            volumes: VolumeManager(root: config.rootDirectory),
            csi: CSIVolumeManager(root: config.rootDirectory, registry: drivers, client: client, logger: logger),
            handlers: handlers, machine: machine,
            hostDNS: HostDNS.read(), logger: logger)
        let agent = NodeAgent(config: config, client: client, cri: cri, machine: machine, logger: logger)
        let pods = PodCoordinator(ctx: ctx)
        let plugins = PluginWatcher(directory: config.pluginRegistryDirectory, registry: drivers, client: client,
                                    nodeName: config.nodeName, logger: logger)
        let podCIDRs = PodCIDRSync(config: config, client: client, cri: cri, logger: logger)
        let routes = NodeRoutes(config: config, client: client, logger: logger)
        let provisioner = NodeVolumeProvisioner(client: client, registry: drivers, node: config.nodeName, logger: logger)
        logger.info("kubelet starting", metadata: ["node": "\(config.nodeName)", "runtime": "\(config.runtimeEndpoint)"])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await agent.run() }
                group.addTask { await agent.runLease() }
                group.addTask { await podCIDRs.run() }
                if config.managesPodRoutes { group.addTask { await routes.run() } }
                group.addTask {
                    // The first sandbox should get an address from the node's own range.
                    if config.podCIDRWait > .zero { _ = await podCIDRs.waitUntilApplied(timeout: config.podCIDRWait) }
                    await pods.watchPods()
                }
                group.addTask { await pods.relistLoop() }
                if config.watchPlugins { group.addTask { await plugins.run() } }
                if config.provisionsVolumes { group.addTask { await provisioner.run() } }
                group.addTask {
                    do { try await KubeletServer(ctx: ctx).run() } catch {
                        ctx.logger.error("kubelet endpoint failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
        await handlers.shutdown()
    }
}
