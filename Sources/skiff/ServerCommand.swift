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
import VolumeProvisioning

struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Run the all-in-one server: API server on an embedded SQLite store or on etcd.")

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

    @Option(help: "Authorization modes in order (Node, RBAC, AlwaysAllow), comma-separated.")
    var authorizationMode = "Node,RBAC"

    @Option(help: "Admission plugins to turn off, comma-separated (e.g. ResourceQuota,PodSecurity; 'all' for every one).")
    var disableAdmissionPlugins = ""

    @Option(help: "An AdmissionConfiguration file (YAML or JSON): the PodSecurity plugin's defaults and exemptions.")
    var admissionControlConfigFile: String?

    @Option(help: "The audit log (JSON lines); default <data-dir>/audit.log, 'none' for no audit log.")
    var auditLogPath: String?

    @Option(help: "Give every node a pod range (spec.podCIDR) from --cluster-cidr.")
    var allocateNodeCidrs = true

    @Option(help: "The pods' address range, cut into one block per node.")
    var clusterCidr = "10.42.0.0/16"

    @Option(help: "The prefix length of each node's pod range.")
    var nodeCidrMaskSize = 24

    @Option(help: "Another name or address for the API server's certificate (repeatable); the node address is always in it.")
    var tlsSan: [String] = []

    @Option(help: "Run the scheduler and controllers only while holding their Lease in kube-system (default: true on etcd, where several servers may share the store).")
    var leaderElect: Bool?

    @OptionGroup(title: "Datastore") var datastore: DatastoreOptions
    @OptionGroup(title: "Container runtime") var runtime: RuntimeOptions
    @OptionGroup(title: "Kubelet") var kubelet: KubeletOptions
    @OptionGroup(title: "CSI") var csi: CSIOptions

    func run() async throws {
        skiff_limit_malloc_arenas(2)
        var logger = Logger(label: "skiff")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let backend = try await datastore.makeBackend(dataDir: dataDir, logger: logger)
        var config = APIServerConfiguration(dataDir: dataDir)
        config.bindAddress = bindAddress
        config.port = port
        config.eventTTL = eventTTL
        let nodeIP = kubelet.nodeIP ?? NodeAddress.detect()
        config.extraSANs = tlsSan + [nodeIP]
        if allocateNodeCidrs {
            do { _ = try CIDRSet(cluster: clusterCidr, maskSize: nodeCidrMaskSize) } catch { throw ValidationError("\(error)") }
        }
        config.authorizationModes = authorizationMode.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let unknownModes = config.authorizationModes.filter { !["Node", "RBAC", "AlwaysAllow"].contains($0) }
        if !unknownModes.isEmpty { throw ValidationError("unknown authorization mode(s): \(unknownModes.joined(separator: ", "))") }
        config.auditLogPath = auditLogPath == "none" ? nil : absolute(auditLogPath ?? config.defaultAuditLogPath)
        let kubeconfig = config.kubeconfigPath
        var podSecurity = PodSecurityConfiguration()
        if let file = admissionControlConfigFile {
            do { podSecurity = try PodSecurityConfiguration.load(admissionConfigurationFile: absolute(file)) ?? podSecurity } catch {
                throw ValidationError("\(error)")
            }
        }
        let host = config.clientHost
        let ready = OneShot<Int>()
        let server = try APIServer(configuration: config, backend: backend, logger: logger,
                                   admission: try Self.admission(disabled: disableAdmissionPlugins, podSecurity: podSecurity)) { boundPort in
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
        let dataDir = self.dataDir, componentLogger = logger, bindAddress = self.bindAddress
        // The host-path CSI driver beside the in-process kubelet; the PV controller provisions through it.
        let kubeletRuns = !disableAgent && (kubelet.containerRuntimeEndpoint != nil || (runtimeInProcess && getuid() == 0))
        var driver: HostPathConfiguration?
        if kubeletRuns && !csi.disableCSI {
            driver = csi.configuration(kubelet: kubelet.configuration(defaultEndpoint: ""), defaultStateDir: dataDir + "/csi-hostpath")
            services.append(.init(service: try HostPathServer(configuration: driver!, logger: logger)))
        }
        let provisioners = driver.map { [$0.driverName: $0.endpoint] } ?? [:]
        // The in-process driver is the server node's: the PV controller provisions Immediate claims
        // and this node's late-binding ones through it; an agent's kubelet provisions its node's.
        let scope = driver.map { ProvisioningScope.central(node: $0.nodeID, topology: $0.topologySegments) }
            ?? .central()
        // In-process components reach the API server like any client: over HTTPS, once it listens.
        let adminToken = server.credentials.adminToken
        let connect: @Sendable (String, String?) async throws -> KubeClient = { agent, token in
            let port = try await ready.value
            let pki = dataDir + "/pki"
            var clientConfig = KubeClientConfiguration(
                server: "https://\(host):\(port)", token: token ?? adminToken,
                caCertificatePEM: try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8))
            clientConfig.userAgent = agent
            return try KubeClient(configuration: clientConfig)
        }
        let identity = LeaderElectedService.identity(dataDir: dataDir)
        let leaderElect = self.leaderElect ?? datastore.isEtcd
        let elector: @Sendable (KubeClient, String) -> LeaderElector? = { client, lease in
            leaderElect ? LeaderElector(client: client, configuration: .init(name: lease, identity: identity),
                                        logger: componentLogger) : nil
        }
        let ipam = allocateNodeCidrs ? (cluster: clusterCidr, mask: nodeCidrMaskSize) : nil
        if !disableControllers {
            services.append(.init(service: DeferredService(logger: logger) {
                let client = try await connect("skiff-controller-manager", nil)
                return (LeaderElectedService(elector: elector(client, "kube-controller-manager")) {
                    var pvConfig = PersistentVolumeController.Configuration()
                    pvConfig.provisioners = provisioners
                    pvConfig.scope = scope
                    let nodes = NodeLifecycleController(client: client, logger: componentLogger)
                    var controllers: [@Sendable () async -> Void] = [{ await nodes.run() }]
                    let pki = dataDir + "/pki"
                    if let caPEM = try? String(contentsOfFile: pki + "/ca.crt", encoding: .utf8),
                       let keyPEM = try? String(contentsOfFile: pki + "/ca.key", encoding: .utf8),
                       let signer = try? CertificateSigner(caCertificatePEM: caPEM, caKeyPEM: keyPEM) {
                        let signing = CertificateSigningController(client: client, signer: signer, logger: componentLogger)
                        controllers.append { await signing.run() }
                    }
                    if let ipam, let allocator = try? NodeIPAMController(client: client, clusterCIDR: ipam.cluster,
                                                                          nodeMaskSize: ipam.mask, logger: componentLogger) {
                        controllers.append { await allocator.run() }
                    }
                    do {
                        let volumes = try PersistentVolumeController(client: client, configuration: pvConfig, logger: componentLogger)
                        controllers.append { await volumes.run() }
                    } catch {
                        componentLogger.error("persistent volume controller not started", metadata: ["error": "\(error)"])
                    }
                    if !provisioners.isEmpty {
                        controllers.append { await DefaultStorageClassBootstrap.ensure(client, logger: componentLogger) }
                    }
                    await withTaskGroup(of: Void.self) { group in
                        for c in controllers { group.addTask { await c() } }
                    }
                }, { Self.closeLater(client) })
            }))
        }
        if !disableScheduler {
            services.append(.init(service: DeferredService(logger: logger) {
                let client = try await connect("skiff-scheduler", nil)
                return (LeaderElectedService(elector: elector(client, "kube-scheduler")) {
                    do {
                        let scheduler = try Scheduler(api: RESTSchedulerAPI(client: client), clock: ContinuousClock(), logger: componentLogger)
                        try await scheduler.run()
                    } catch is CancellationError {
                    } catch {
                        componentLogger.error("scheduler stopped", metadata: ["error": "\(error)"])
                    }
                }, { Self.closeLater(client) })
            }))
        }
        if kubeletRuns {
            var baseConfig = kubelet.configuration(defaultEndpoint: "unix://" + absolute(runtime.listen))
            // With the in-process driver the PV controller provisions this node's claims itself.
            baseConfig.provisionsVolumes = driver == nil
            let kubeletConfig = baseConfig
            // The kubelet acts as system:node:<name>, with only a node's rights.
            let nodeToken = server.nodeCredentials.token(forNode: kubeletConfig.nodeName)
            services.append(.init(service: DeferredService(logger: logger) {
                let client = try await connect("skiff-kubelet/\(kubeletConfig.nodeName)", nodeToken)
                var kubeletConfig = kubeletConfig
                // Pods reach the API server at the node's address when it listens there; at the
                // loopback address only host-network pods can.
                let listensOnNode = ["0.0.0.0", "::", kubeletConfig.nodeIP].contains(bindAddress)
                kubeletConfig.apiServerHost = listensOnNode ? kubeletConfig.nodeIP : host
                kubeletConfig.apiServerPort = try await ready.value
                let serving = try ClusterCredentials.issueServing(
                    dir: dataDir, commonName: "system:node:\(kubeletConfig.nodeName)",
                    hosts: Array(Set([kubeletConfig.nodeIP, kubeletConfig.nodeName, "127.0.0.1", "localhost"])))
                kubeletConfig.tlsCertificatePEM = serving.certificatePEM
                kubeletConfig.tlsKeyPEM = serving.keyPEM
                kubeletConfig.authorizedTokens = [adminToken]
                return (Kubelet(configuration: kubeletConfig, client: client, logger: componentLogger), { Self.closeLater(client) })
            }))
        }
        services.append(.init(service: FreeMemoryReturner()))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await backend.close()
    }

    static let admissionPlugins = ["LimitRanger", "ServiceAccount", "DefaultTolerationSeconds", "DefaultStorageClass", "Priority",
                                   "StorageObjectInUseProtection", "NodeRestriction", "PodSecurity", "ResourceQuota"]

    /// Kubernetes' default admission plugins in its order, mutating before validating, less the disabled ones.
    static func admission(disabled: String, podSecurity: PodSecurityConfiguration = PodSecurityConfiguration()) throws -> AdmissionChain {
        let off = Set(disabled.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let unknown = off.subtracting(admissionPlugins + ["all"])
        if !unknown.isEmpty { throw ValidationError("unknown admission plugin(s): \(unknown.sorted().joined(separator: ", "))") }
        func on(_ name: String) -> Bool { !off.contains(name) && !off.contains("all") }
        var mutating: [any AdmissionPlugin] = []
        var validating: [any AdmissionPlugin] = []
        if on("LimitRanger") { mutating.append(LimitRanger()) }
        if on("ServiceAccount") { mutating.append(ServiceAccountAdmission()) }
        if on("DefaultTolerationSeconds") { mutating.append(DefaultTolerationSeconds()) }
        if on("DefaultStorageClass") { mutating.append(DefaultStorageClass()) }
        if on("Priority") { mutating.append(PriorityAdmission()) }
        if on("StorageObjectInUseProtection") { mutating.append(StorageObjectInUseProtection()) }
        if on("NodeRestriction") { validating.append(NodeRestriction()) }
        if on("PodSecurity") { validating.append(PodSecurity(configuration: podSecurity)) }
        if on("ResourceQuota") { validating.append(ResourceQuotaAdmission()) }
        return AdmissionChain(mutating: mutating, validating: validating)
    }

    /// Starts closing a component's client without waiting: its TLS connections take seconds to
    /// wind down, and nothing after shutdown needs them.
    static func closeLater(_ client: KubeClient) {
        Task.detached { await client.shutdown() }
    }
}
