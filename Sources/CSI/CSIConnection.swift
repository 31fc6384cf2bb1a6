import GRPCCore
import GRPCNIOTransportHTTP2

/// A gRPC connection to a CSI driver (or its registration socket) over a unix socket, with the
/// clients for each service. Calls without their own deadline time out after `timeout`.
public final class CSIConnection: Sendable {
    public typealias Transport = HTTP2ClientTransport.Posix

    public let path: String
    public let identity: Csi_V1_Identity.Client<Transport>
    public let controller: Csi_V1_Controller.Client<Transport>
    public let node: Csi_V1_Node.Client<Transport>
    public let registration: Pluginregistration_Registration.Client<Transport>
    private let client: GRPCClient<Transport>
    private let connections: Task<Void, Never>

    /// `endpoint` is `unix:///path` or a socket path.
    public init(endpoint: String, timeout: Duration = .seconds(120)) throws {
        path = endpoint.hasPrefix("unix://") ? String(endpoint.dropFirst("unix://".count)) : endpoint
        let transport = try HTTP2ClientTransport.Posix(
            target: .unixDomainSocket(path: path), transportSecurity: .plaintext,
            config: .defaults { $0.connection.maxIdleTime = nil },
            serviceConfig: ServiceConfig(methodConfig: [MethodConfig(names: [.init(service: "")], timeout: timeout)]))
        let client = GRPCClient(transport: transport)
        self.client = client
        connections = Task { try? await client.runConnections() }
        identity = .init(wrapping: client)
        controller = .init(wrapping: client)
        node = .init(wrapping: client)
        registration = .init(wrapping: client)
    }

    public func close() {
        client.beginGracefulShutdown()
    }

    /// "rpc error: code = NotFound desc = …", as Kubernetes shows a driver's error.
    public static func describe(_ error: any Error) -> String {
        guard let e = error as? RPCError else { return "\(error)" }
        let code = String(describing: e.code)
        return "rpc error: code = \(code.prefix(1).uppercased() + code.dropFirst()) desc = \(e.message)"
    }
}
