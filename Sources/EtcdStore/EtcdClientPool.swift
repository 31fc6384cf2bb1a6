import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
import Storage
import Synchronization

/// One gRPC client per etcd member; calls go to the current member and move to the next one when
/// it is unreachable or has lost its leader, so one dead member does not stop the API server.
final class EtcdClientPool: Sendable {
    typealias Transport = HTTP2ClientTransport.Posix

    struct Member: Sendable {
        let endpoint: EtcdEndpoint
        let client: GRPCClient<Transport>
        let kv: Etcdserverpb_KV.Client<Transport>
        let watch: Etcdserverpb_Watch.Client<Transport>
        let lease: Etcdserverpb_Lease.Client<Transport>
    }

    let members: [Member]
    private let runners: [Task<Void, Never>]
    private let current = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)
    /// TCP connections opened to the members: one each while nothing fails.
    let connections: Counter
    let requestTimeout: Duration
    let logger: Logger

    init(_ configuration: EtcdConfiguration, logger: Logger) throws {
        self.logger = logger
        guard !configuration.endpoints.isEmpty else { throw EtcdConfigurationError.noEndpoints }
        let endpoints = try configuration.endpoints.map { url throws(EtcdConfigurationError) in try EtcdEndpoint(url) }
        if (configuration.certFile == nil) != (configuration.keyFile == nil) {
            throw EtcdConfigurationError.incompleteClientCertificate
        }
        var members: [Member] = []
        var runners: [Task<Void, Never>] = []
        let connections = Counter()
        self.connections = connections
        for endpoint in endpoints {
            let transport = try HTTP2ClientTransport.Posix(
                target: Self.target(endpoint),
                transportSecurity: Self.security(endpoint, configuration),
                config: .defaults { config in
                    config.connection.maxIdleTime = nil
                    config.backoff.initial = .milliseconds(100)
                    config.backoff.max = .seconds(2)
                    config.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
                        let opened = connections.increment()
                        if opened > endpoints.count {
                            logger.notice("etcd connection opened again", metadata: [
                                "endpoint": "\(endpoint.host):\(endpoint.port)", "connections": "\(opened)"])
                        }
                        return PingResponder.install(on: channel)
                    }
                })
            let client = GRPCClient(transport: transport)
            runners.append(Task { try? await client.runConnections() })
            members.append(Member(endpoint: endpoint, client: client, kv: .init(wrapping: client), watch: .init(wrapping: client),
                                  lease: .init(wrapping: client)))
        }
        self.members = members
        self.runners = runners
        self.requestTimeout = configuration.requestTimeout
    }

    /// An address literal is connected to as such: as a DNS name it would also become the TLS
    /// server name, which may not be an IP address. (The chain is still verified against the CA.)
    private static func target(_ endpoint: EtcdEndpoint) -> any ResolvableTarget {
        if endpoint.host.contains(":") { return .ipv6(host: endpoint.host, port: endpoint.port) }
        if endpoint.host.allSatisfy({ $0.isNumber || $0 == "." }) { return .ipv4(host: endpoint.host, port: endpoint.port) }
        return .dns(host: endpoint.host, port: endpoint.port)
    }

    private static func security(_ endpoint: EtcdEndpoint, _ configuration: EtcdConfiguration) -> HTTP2ClientTransport.Posix.TransportSecurity {
        guard endpoint.tls || configuration.caFile != nil || configuration.certFile != nil else { return .plaintext }
        let configure: (inout HTTP2ClientTransport.Posix.TransportSecurity.TLS) -> Void = { tls in
            if let ca = configuration.caFile { tls.trustRoots = .certificates([.file(path: ca, format: .pem)]) }
        }
        if let cert = configuration.certFile, let key = configuration.keyFile {
            return .mTLS(certificateChain: [.file(path: cert, format: .pem)], privateKey: .file(path: key, format: .pem), configure: configure)
        }
        return .tls(configure: configure)
    }

    /// Unary calls: the request timeout, and room for a whole-collection list (gRPC's default
    /// limit is 4 MiB).
    var options: CallOptions {
        var o = CallOptions.defaults
        o.timeout = requestTimeout
        o.maxResponseMessageBytes = 1 << 30
        // grpc-swift's client applies this limit to the messages it decodes as well.
        o.maxRequestMessageBytes = 1 << 30
        return o
    }

    /// Watch streams: no deadline.
    var streamOptions: CallOptions {
        var o = CallOptions.defaults
        o.maxResponseMessageBytes = 1 << 30
        o.maxRequestMessageBytes = 1 << 30
        return o
    }

    /// Runs `call` on the current member, moving on to the others while the failure says the
    /// member cannot serve (unreachable, no leader, timed out inside etcd). Requests that etcd
    /// rejected on their merits are not retried.
    func call<Result: Sendable>(_ call: (Member) async throws -> Result) async throws -> Result {
        try await callCountingRetries(call).0
    }

    /// `call`, also telling how many attempts failed before the one that answered: after a failed
    /// attempt a write may have been applied without its answer arriving.
    func callCountingRetries<Result: Sendable>(_ call: (Member) async throws -> Result) async throws -> (Result, Int) {
        let attempts = max(3, members.count * 3)
        var attempt = 0
        while true {
            if closed.load(ordering: .relaxed) { throw StorageError.closed }
            let index = current.load(ordering: .relaxed)
            do {
                return (try await call(members[index % members.count]), attempt)
            } catch let error as RPCError where Self.memberFailure(error) && attempt + 1 < attempts && !closed.load(ordering: .relaxed) {
                attempt += 1
                logger.notice("etcd call failed; trying again", metadata: [
                    "endpoint": "\(members[index % members.count].endpoint.host):\(members[index % members.count].endpoint.port)",
                    "code": "\(error.code)", "error": "\(error.message)"])
                failed(index)
                if attempt >= members.count { try await Task.sleep(for: .milliseconds(200 * (attempt - members.count + 1))) }
            }
        }
    }

    /// Marks the member at `index` as failed so the next call starts at the following one.
    func failed(_ index: Int) {
        _ = current.compareExchange(expected: index, desired: (index + 1) % members.count, ordering: .relaxed)
    }

    var currentIndex: Int { current.load(ordering: .relaxed) % members.count }

    static func memberFailure(_ error: RPCError) -> Bool {
        switch error.code {
        case .unavailable, .deadlineExceeded, .unknown, .aborted: true
        default: false
        }
    }

    func close() {
        closed.store(true, ordering: .relaxed)
        for member in members { member.client.beginGracefulShutdown() }
        for runner in runners { runner.cancel() }
    }
}

/// A count shared between threads.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// Adds one and returns the new count.
    func increment() -> Int { value.wrappingAdd(1, ordering: .relaxed).newValue }

    var count: Int { value.load(ordering: .relaxed) }
}
