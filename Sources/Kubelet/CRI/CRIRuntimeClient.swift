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
            serviceConfig: Self.serviceConfig)
        let client = GRPCClient(transport: transport)
        self.client = client
        connections = Task { try? await client.runConnections() }
        runtime = Runtime(wrapping: client)
        images = Images(wrapping: client)
    }

    /// The runtime request timeout (2 minutes) for every call that sets none. Calls that only
    /// read, or only hand out a streaming URL, are tried again when the connection drops under
    /// them (UNAVAILABLE): a dropped connection must not read as "no containers" or fail an exec.
    static let serviceConfig: ServiceConfig = {
        let runtime = "runtime.v1.RuntimeService", images = "runtime.v1.ImageService"
        let idempotent: [MethodConfig.Name] =
            ["Version", "Status", "ListPodSandbox", "PodSandboxStatus", "ListContainers", "ContainerStatus",
             "ContainerStats", "ListContainerStats", "PodSandboxStats", "ListPodSandboxStats", "Exec", "Attach",
             "PortForward"].map { .init(service: runtime, method: $0) }
            + ["ListImages", "ImageStatus", "ImageFsInfo"].map { .init(service: images, method: $0) }
        let retry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1),
                                backoffMultiplier: 2, retryableStatusCodes: [.unavailable])
        return ServiceConfig(methodConfig: [
            MethodConfig(names: [.init(service: "")], timeout: .seconds(120)),
            MethodConfig(names: idempotent, timeout: .seconds(120), executionPolicy: .retry(retry)),
        ])
    }()

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
