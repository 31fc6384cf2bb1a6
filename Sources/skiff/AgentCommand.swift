import APIServer
import ArgumentParser
import ContainerRuntime
import CSIDriver
import CShims
import Foundation
import KubeAPI
import KubeClient
import Kubelet
import Logging
import ServiceLifecycle

/// `skiff agent`: a node that joins a cluster: the kubelet and (unless told to drive another
/// runtime) the container runtime, talking to the API server at --server over REST.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Run a node: kubelet and container runtime, joined to an API server.")

    @OptionGroup var cluster: ClusterOptions
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

    @OptionGroup(title: "Container runtime") var runtime: RuntimeOptions
    @OptionGroup(title: "Kubelet") var kubelet: KubeletOptions
    @OptionGroup(title: "CSI") var csi: CSIOptions

    func run() async throws {
        skiff_limit_malloc_arenas(2)
        var logger = Logger(label: "skiff")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var config = kubelet.configuration(defaultEndpoint: "unix://" + absolute(runtime.listen))
        let serving = try ClusterCredentials.selfSignedServing(
            commonName: "system:node:\(config.nodeName)", hosts: Array(Set([config.nodeIP, config.nodeName, "127.0.0.1", "localhost"])))
        config.tlsCertificatePEM = serving.certificatePEM
        config.tlsKeyPEM = serving.keyPEM
        var clientConfig = try cluster.clientConfiguration(userAgent: "skiff-kubelet/\(config.nodeName)")
        config.authorizedTokens = [cluster.token]
        if NodeJoin.isJoinToken(cluster.token) {
            // Join: trade the cluster's join token for this node's own credentials.
            let joined = try await NodeJoin.exchange(clientConfig, nodeName: config.nodeName)
            clientConfig.token = joined.token
            config.authorizedTokens = ["sha256:" + joined.apiServerTokenSHA256]
            logger.info("joined the cluster", metadata: ["node": "\(config.nodeName)", "user": "\(joined.user)"])
        }
        config.apiServerHost = cluster.apiServerAddress?.host
        config.apiServerPort = cluster.apiServerAddress?.port
        let client = try KubeClient(configuration: clientConfig)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if kubelet.containerRuntimeEndpoint == nil {
            let node = try await NodeRuntime(configuration: try runtime.configuration(), logger: logger)
            services.append(.init(service: CRIServer(runtime: node, logger: logger)))
        }
        if !csi.disableCSI {
            services.append(.init(service: try HostPathServer(
                configuration: csi.configuration(kubelet: config, defaultStateDir: "/var/lib/skiff/csi-hostpath"), logger: logger)))
        }
        services.append(.init(service: Kubelet(configuration: config, client: client, logger: logger)))
        services.append(.init(service: FreeMemoryReturner()))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch {
            ServerCommand.closeLater(client)
            throw error
        }
        ServerCommand.closeLater(client)
    }
}
