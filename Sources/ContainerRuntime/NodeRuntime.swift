import CRI
import Foundation
import Logging

/// The runtime of one node: images, sandboxes and containers, composed. The CRI services are
/// thin translations onto this type.
public struct NodeRuntime: Sendable {
    public let configuration: RuntimeConfiguration
    let images: ImageManager
    let sandboxes: SandboxManager
    let containers: ContainerManager
    let streams = StreamRegistry()
    let logger: Logger

    public init(configuration: RuntimeConfiguration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        let root = configuration.rootDirectory, state = configuration.stateDirectory
        try Files.mkdir(root)
        try Files.mkdir(state)
        images = try ImageManager(root: root + "/images", hosts: configuration.registryHosts, logger: logger)
        sandboxes = SandboxManager(
            store: try RecordStore(directory: root + "/sandboxes"),
            namespaces: try PodNamespaces(directory: state + "/ns"),
            network: PodNetwork(configDirectory: configuration.cniConfigDirectory, pluginDirectories: configuration.cniPluginDirectories,
                                defaultSubnet: configuration.defaultPodSubnet, defaultBridge: configuration.defaultBridgeName,
                                ipamDataDirectory: root + "/cni"),
            directory: root + "/pods", cgroupRoot: configuration.cgroupRoot, logger: logger)
        containers = ContainerManager(
            store: try RecordStore(directory: root + "/containers"),
            monitor: try ConmonMonitor(conmonPath: configuration.conmonPath, stateDirectory: state),
            directory: root + "/bundles", logger: logger)
        let adopted = try await containers.all()
        let sandboxCount = await sandboxes.store.all().count
        logger.info("runtime state loaded", metadata: [
            "sandboxes": "\(sandboxCount)", "containers": "\(adopted.count)",
            "running": "\(adopted.filter { containers.phase($0).state == .containerRunning }.count)",
        ])
    }

    func sandbox(_ id: String) async throws -> SandboxRecord {
        guard let full = await sandboxes.store.resolve(id), let record = await sandboxes.store.get(full) else {
            throw RuntimeError.notFound("sandbox \(id) not found")
        }
        return record
    }

    func createContainer(in sandboxID: String, config: Runtime_V1_ContainerConfig) async throws -> String {
        let sandbox = try await sandbox(sandboxID)
        guard sandbox.state == .ready else { throw RuntimeError.failedPrecondition("sandbox \(sandbox.id) is not ready") }
        guard let image = await images.images.find(config.image.image) else {
            throw RuntimeError.notFound("image \"\(config.image.image)\" not present on this node")
        }
        let placement = ContainerManager.Placement(
            sandbox: sandbox, image: image, layerPaths: try images.layerPaths(image),
            runtimePath: try configuration.runtimePath(handler: sandbox.runtimeHandler), pidsLimit: configuration.pidsLimit)
        return try await containers.create(config, in: placement)
    }

    /// Stops every container of the pod (immediately, as the kubelet has already given them
    /// their grace period), then detaches its network.
    func stopSandbox(_ id: String) async throws {
        let sandbox = try await sandbox(id)
        for record in await containers.store.all() where record.sandboxID == sandbox.id {
            try await containers.stop(record.id, timeout: .zero)
        }
        try await sandboxes.stop(sandbox.id)
    }

    func removeSandbox(_ id: String) async throws {
        guard let full = await sandboxes.store.resolve(id) else { return }
        let sandbox = try await sandbox(full)
        for record in await containers.store.all() where record.sandboxID == full {
            try await containers.remove(record.id)
        }
        if sandbox.state == .ready { try await sandboxes.stop(full) }
        await sandboxes.remove(full)
    }

    func imageInUse(_ imageID: String) async -> Bool {
        await containers.store.all().contains { $0.imageID == imageID }
    }
}
