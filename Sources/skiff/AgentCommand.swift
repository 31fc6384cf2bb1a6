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

    @Option(help: "The API server, e.g. https://10.0.0.1:6443.") var server: String
    @Option(help: "The cluster's join token (data-dir/pki/join-token on the server), or a bearer token to use as is.") var token: String
    @Option(help: "CA certificate (PEM file) that signed the API server's certificate.") var caFile: String?
    @Flag(help: "Do not verify the API server's certificate.") var insecureSkipTLSVerify = false
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
        var clientConfig = KubeClientConfiguration(
            server: server, token: token, caCertificatePEM: try caFile.map { try String(contentsOfFile: $0, encoding: .utf8) })
        clientConfig.insecureSkipTLSVerify = insecureSkipTLSVerify
        clientConfig.userAgent = "skiff-kubelet/\(config.nodeName)"
        config.authorizedTokens = [token]
        if NodeJoin.isJoinToken(token) {
            // Join: trade the cluster's join token for this node's own credentials.
            let joined = try await NodeJoin.exchange(clientConfig, nodeName: config.nodeName)
            clientConfig.token = joined.token
            config.authorizedTokens = ["sha256:" + joined.apiServerTokenSHA256]
            logger.info("joined the cluster", metadata: ["node": "\(config.nodeName)", "user": "\(joined.user)"])
        }
        if let url = URL(string: server), let host = url.host {
            config.apiServerHost = host
            config.apiServerPort = url.port ?? 443
        }
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
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch {
            ServerCommand.closeLater(client)
            throw error
        }
        ServerCommand.closeLater(client)
    }
}
