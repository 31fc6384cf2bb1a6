import Foundation
import HTTPTypes
import HummingbirdWebSocket
import StreamRelay
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import KubeAPI
import Logging
import NIOSSL
import ServiceLifecycle
import Storage

/// The Kubernetes API server as one Service: HTTPS with bearer tokens, the watch cache that
/// follows storage, and the server's own housekeeping (namespace finalization, compaction,
/// Event expiry).
public struct APIServer: Service {
    public let configuration: APIServerConfiguration
    public let store: ObjectStore
    public let credentials: ClusterCredentials
    public let nodeCredentials: NodeCredentials
    public let serviceAccountTokens: ServiceAccountTokens
    let authorizer: any Authorizer
    let logger: Logger
    let onReady: @Sendable (Int) async -> Void

    struct Responder: HTTPResponder {
        typealias Context = APIRequestContext
        let handler: APIHandler
        func respond(to request: Request, context: APIRequestContext) async throws -> Response {
            // A client certificate is looked at only when the request carries no bearer token.
            let certificate = request.headers[.authorization] == nil ? await context.peerCertificate() : nil
            return await ConnectionChannel.$current.withValue(context.channel) {
                await handler.handle(request, certificate: certificate, remote: context.remoteIP)
            }
        }
    }

    /// - Parameter onReady: called with the bound port once the server accepts connections.
    public init(configuration: APIServerConfiguration, backend: any StorageBackend, logger: Logger,
                admission: AdmissionChain = AdmissionChain(),
                onReady: @escaping @Sendable (Int) async -> Void = { _ in }) throws {
        self.configuration = configuration
        self.logger = logger
        var hosts = ["127.0.0.1", "localhost"] + configuration.extraSANs
        if configuration.bindAddress != "0.0.0.0", !hosts.contains(configuration.bindAddress) { hosts.append(configuration.bindAddress) }
        self.credentials = try ClusterCredentials.loadOrCreate(dir: configuration.dataDir, hosts: hosts)
        self.nodeCredentials = try NodeCredentials.loadOrCreate(dir: configuration.dataDir)
        self.serviceAccountTokens = try ServiceAccountTokens.loadOrCreate(dir: configuration.dataDir)
        let cache = WatchCache(backend: backend, logger: logger)
        let authorizer = Self.authorizer(configuration.authorizationModes, cache: cache)
        self.authorizer = authorizer
        var chain = admission
        if configuration.authorizationModes.contains("RBAC") { chain.validating.insert(RBACEscalation(authorizer: authorizer), at: 0) }
        self.store = ObjectStore(backend: backend, cache: cache, admission: chain,
                                 ttls: [StorageMaintenance.events.keyPrefix: .seconds(configuration.eventTTL)])
        self.onReady = onReady
    }

    public func run() async throws {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(credentials.servingCertificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(credentials.servingKeyPEM.utf8), format: .pem)))
        // kubectl offers h2; HTTP/2 would break the exec and port-forward upgrades.
        tls.applicationProtocols = ["http/1.1"]
        // Client certificates are asked for, not required: bearer-token clients send none.
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(credentials.caCertificatePEM.utf8), format: .pem)])
        let cache = store.cache
        let authenticator = Authenticator(tokens: [credentials.adminToken: .admin], nodes: nodeCredentials,
                                          serviceAccounts: serviceAccountTokens) { key in
            guard let r = KeyLayout.resource(forKey: key) else { return nil }
            return cache.get(key, resource: r)?.json
        }
        let audit = try configuration.auditLogPath.map { try AuditLog(path: $0) }
        let credentials = self.credentials
        let handler = APIHandler(store: store, authenticator: authenticator,
                                 serverAddress: "\(configuration.clientHost):\(configuration.port)", logger: logger,
                                 kubeletToken: configuration.kubeletClientToken ?? credentials.adminToken,
                                 authorizer: authorizer, audit: audit,
                                 tokenIssuer: serviceAccountTokens, nodeCredentials: nodeCredentials)
        defer { audit?.close() }
        let config = configuration
        let serverTLS = tls
        let store = self.store
        let logger = self.logger
        let onReady = self.onReady
        let app = Application(
            responder: Responder(handler: handler),
            // TLS with a FlushCoalescingHandler: each flush (a watch event, a response) is one TLS record.
            server: HTTPServerBuilder { responder in try CoalescingTLSChannel(HTTP1WebSocketUpgradeChannel(
                responder: responder, configuration: WebSocketServerConfiguration(maxFrameSize: 1 << 20),
                additionalChannelHandlers: { [] }) { head, channel, logger in
                // kubectl exec/attach: a WebSocket relayed to the pod's kubelet.
                let certificate = head.headerFields[.authorization] == nil ? await APIRequestContext.peerCertificate(channel) : nil
                guard let target = await handler.streamTarget(head, certificate: certificate) else { return .dontUpgrade }
                return .upgrade([HTTPField.Name("Sec-WebSocket-Protocol")!: target.proto]) { inbound, outbound, context in
                    do {
                        try await WebSocketRelay.relay(inbound: inbound, outbound: outbound, chosen: target.proto,
                                                       logger: context.logger) { _ in target.upstream }
                    } catch {
                        await WebSocketRelay.fail(outbound, message: "error dialing backend: \(error)")
                        context.logger.notice("exec stream ended", metadata: ["error": "\(error)"])
                    }
                }
            }, tlsConfiguration: serverTLS) },
            configuration: .init(address: .hostname(config.bindAddress, port: config.port), serverName: "skiff"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                // With --port 0 only now is the port known; the kubeconfig names the bound one.
                if config.port == 0 {
                    try? config.write(kubeconfig: credentials.kubeconfig(server: "https://\(config.clientHost):\(port)"))
                }
                await onReady(port)
            },
            logger: logger)

        do {
            try await withGracefulShutdownHandler {
                try await serve(app: app, store: store, config: config, logger: logger)
            } onGracefulShutdown: {
                store.cache.closeAllWatches()
            }
        } catch {
            await handler.kubelets.shutdown()
            throw error
        }
        await handler.kubelets.shutdown()
    }

    private func serve(app: some ApplicationProtocol & Sendable, store: ObjectStore, config: APIServerConfiguration,
                       logger: Logger) async throws {
        let credentials = self.credentials
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                try await Self.untilShutdown { try await store.cache.run() }
            }
            try await waitUntilLoaded(store)
            try await Bootstrap.ensureDefaults(store: store, logger: logger)
            let caPEM = credentials.caCertificatePEM
            group.addTask {
                try await Self.untilShutdown {
                    try await ServiceAccountsController(store: store, rootCAPEM: caPEM, logger: logger).run()
                }
            }
            group.addTask {
                try await Self.untilShutdown {
                    try await ResourceQuotaController(store: store, logger: logger).run()
                }
            }
            try config.write(kubeconfig: credentials.kubeconfig(server: "https://\(config.clientHost):\(config.port)"))
            group.addTask {
                try await Self.untilShutdown {
                    try await NamespaceFinalizer(store: store, logger: logger).run()
                }
            }
            group.addTask {
                try await Self.untilShutdown {
                    try await StorageMaintenance(store: store, logger: logger, eventTTL: config.eventTTL,
                                                 historyWindow: config.historyWindow).run()
                }
            }
            group.addTask { try await app.run() }
        }
    }

    /// Runs one of the server's background loops until a graceful shutdown cancels it. Ending so
    /// is not an error: thrown, it would cancel the HTTP server before it has drained its
    /// connections, and the service group would cancel every other service.
    private static func untilShutdown(_ body: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await cancelWhenGracefulShutdown(body)
        } catch is CancellationError where Task.isShuttingDownGracefully {
        }
    }

    static func authorizer(_ modes: [String], cache: WatchCache) -> any Authorizer {
        AuthorizerChain(modes.compactMap { mode -> (any Authorizer)? in
            switch mode {
            case "Node": NodeAuthorizer(cache: cache)
            case "RBAC": RBACAuthorizer(cache: cache)
            case "AlwaysAllow": AlwaysAllow()
            default: nil
            }
        })
    }

    func waitUntilLoaded(_ store: ObjectStore) async throws {
        let target = max(0, try await store.backend.currentRevision())
        while !(await store.cache.wait(for: target, timeout: .seconds(1))) {
            try Task.checkCancellation()
        }
    }
}

extension APIServerConfiguration {
    func write(kubeconfig: String) throws {
        try kubeconfig.write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kubeconfigPath)
    }
}
