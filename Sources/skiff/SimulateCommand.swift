import ArgumentParser
import CShims
import Foundation
import KubeAPI
import KubeClient
import Kubelet
import Logging
import ServiceLifecycle
import SimulatedRuntime

/// `skiff simulate --nodes N`: N nodes in one process, each a real kubelet (the same code as
/// `skiff agent`) driving an in-memory CRI runtime over its own unix socket, as Kubernetes'
/// hollow nodes and kwok do. Pods bound to them go through admission, images, the pod worker and
/// status reporting, but nothing runs and nothing on the host changes.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Run many simulated nodes (real kubelets, in-memory runtimes) joined to an API server.")

    @OptionGroup var cluster: ClusterOptions
    @Option(help: "How many nodes to simulate.") var nodes = 10
    @Option(help: "Node names are this prefix and a number.") var nodePrefix = "sim-"
    @Option(help: "Number of the first node.") var firstIndex = 0
    @Option(help: "Where the nodes keep their sockets and pod directories.") var dataDir = "/var/lib/skiff/simulate"
    @Option(help: "CPUs each node reports.") var cpu = 8
    @Option(help: "Memory each node reports.") var memory = "32Gi"
    @Option(help: "Ephemeral storage each node reports.") var ephemeralStorage = "100Gi"
    @Option(help: "Most pods per node.") var maxPods = 110
    @Option(help: "Pod addresses: node i reports addresses from the i-th block of this range.") var clusterCIDR = "10.128.0.0/9"
    @Option(help: "Prefix length of each node's block of pod addresses.") var nodeCIDRMaskSize = 24
    @Option(help: "The address every simulated node reports.") var nodeIP = "127.0.0.1"
    @Option(help: "Seconds between each kubelet's relists of its runtime (the PLEG period).") var relistPeriod = 10.0
    @Option(help: "A taint each node registers with, key=value:Effect (repeatable).") var registerWithTaints: [String] = []
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "warning"

    func validate() throws {
        guard nodes > 0 else { throw ValidationError("--nodes must be at least 1") }
        guard (try? Quantity(parsing: memory)) != nil else { throw ValidationError("--memory: invalid quantity \"\(memory)\"") }
        guard (try? Quantity(parsing: ephemeralStorage)) != nil else {
            throw ValidationError("--ephemeral-storage: invalid quantity \"\(ephemeralStorage)\"")
        }
        guard PodAddressPool.block(firstIndex + nodes - 1, of: clusterCIDR, prefix: nodeCIDRMaskSize) != nil else {
            throw ValidationError("--cluster-cidr \(clusterCIDR) has fewer than \(firstIndex + nodes) blocks of /\(nodeCIDRMaskSize)")
        }
        guard relistPeriod > 0 else { throw ValidationError("--relist-period must be positive") }
    }

    func run() async throws {
        skiff_limit_malloc_arenas(2)
        var logger = Logger(label: "skiff")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let root = absolute(dataDir)
        let machineTemplate = MachineInfo(
            cpus: cpu, memoryBytes: try Quantity(parsing: memory).value,
            ephemeralStorageBytes: try Quantity(parsing: ephemeralStorage).value, maxPods: maxPods,
            kernelVersion: ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines),
            osImage: "Skiff simulated node")
        let clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1e9) }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var clients: [KubeClient] = []
        for index in firstIndex..<(firstIndex + nodes) {
            let name = "\(nodePrefix)\(index)"
            let socket = "\(root)/sockets/\(index).sock"
            var config = KubeletConfiguration(nodeName: name, nodeIP: nodeIP)
            config.runtimeEndpoint = "unix://" + socket
            config.rootDirectory = "\(root)/nodes/\(name)/kubelet"
            config.podLogsDirectory = "\(root)/nodes/\(name)/logs"
            config.cgroupRoot = "/skiff-simulated"
            config.port = 0
            config.maxPods = maxPods
            var machine = machineTemplate
            machine.machineID = SimulatedNode.machineID(forNode: name)
            machine.bootID = UUID().uuidString.lowercased()
            config.machine = machine
            config.watchPlugins = false
            config.provisionsVolumes = false
            config.relistPeriod = .milliseconds(Int64(relistPeriod * 1000))
            config.nodeLabels["skiff.io/simulated"] = "true"
            config.registerTaints = registerWithTaints
            // Nothing is configured on a simulated node: no routes, and its runtime keeps its own addresses.
            config.managesPodRoutes = false
            config.podCIDRWait = .zero
            config.apiServerHost = cluster.apiServerAddress?.host
            config.apiServerPort = cluster.apiServerAddress?.port

            var clientConfig = try cluster.clientConfiguration(userAgent: "skiff-kubelet/\(name)")
            if NodeJoin.isJoinToken(cluster.token) {
                let joined = try await NodeJoin.exchange(clientConfig, nodeName: name)
                clientConfig.token = joined.token
            }
            let client = try KubeClient(configuration: clientConfig)
            clients.append(client)

            guard let block = PodAddressPool.block(index, of: clusterCIDR, prefix: nodeCIDRMaskSize),
                  let pool = PodAddressPool(cidr: block) else { throw ValidationError("no pod range for node \(index)") }
            let node = SimulatedNode(addresses: pool, clock: clock)
            services.append(.init(service: SimulatedRuntimeServer(node: node, socketPath: socket)))
            services.append(.init(service: Kubelet(configuration: config, client: client, logger: logger)))
        }
        print("simulating \(nodes) nodes: \(nodePrefix)\(firstIndex) … \(nodePrefix)\(firstIndex + nodes - 1)")
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer { for client in clients { ServerCommand.closeLater(client) } }
        try await group.run()
    }
}
