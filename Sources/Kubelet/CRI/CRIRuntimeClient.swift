import CRI
import GRPCCore
import GRPCNIOTransportHTTP2

/// The kubelet's connection to a CRI v1 runtime over its unix socket (ours or containerd's).
/// Every call carries the runtime request timeout.
public final class CRIRuntimeClient: Sendable {
    public typealias Runtime = Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>
    public typealias Images = Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>

    public let endpoint: String
    public let runtime: Runtime
    public let images: Images
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let connections: Task<Void, Never>

    /// `endpoint` is `unix:///path` or a socket path.
    public init(endpoint: String) throws {
        self.endpoint = endpoint
        let path = endpoint.hasPrefix("unix://") ? String(endpoint.dropFirst("unix://".count)) : endpoint
        let transport = try HTTP2ClientTransport.Posix(
            target: .unixDomainSocket(path: path), transportSecurity: .plaintext,
            config: .defaults { $0.connection.maxIdleTime = nil },
            // The runtime request timeout (2 minutes) for every call that sets none.
            serviceConfig: ServiceConfig(methodConfig: [MethodConfig(names: [.init(service: "")], timeout: .seconds(120))]))
        let client = GRPCClient(transport: transport)
        self.client = client
        connections = Task { try? await client.runConnections() }
        runtime = Runtime(wrapping: client)
        images = Images(wrapping: client)
    }

    /// Runs a call that changes nothing on the node once more when the connection to the runtime
    /// dropped under it (UNAVAILABLE): a dropped connection must not fail an exec.
    public static func again<T>(_ call: () async throws -> T) async throws -> T {
        do { return try await call() } catch let e as RPCError where e.code == .unavailable {
            try await Task.sleep(for: .milliseconds(200))
            return try await call()
        }
    }

    public func close() {
        client.beginGracefulShutdown()
    }

    /// Options for a call that may take as long as the runtime request timeout (2 minutes).
    public static func options(timeout: Duration = .seconds(120)) -> CallOptions {
        var o = CallOptions.defaults
        o.timeout = timeout
        return o
    }
}
