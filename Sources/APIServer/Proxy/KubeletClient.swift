import AsyncHTTPClient
import Foundation
import KubeAPI
import NIOCore
import NIOPosix
import NIOSSL

/// How the API server reaches kubelets: HTTPS to the node's InternalIP and the port the Node
/// advertises (daemonEndpoints.kubeletEndpoint), with the API server's own bearer token. As
/// Kubernetes does by default, the kubelet's serving certificate is not verified.
final class KubeletClient: Sendable {
    let token: String
    private let http: HTTPClient

    init(token: String) {
        self.token = token
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        var config = HTTPClient.Configuration(tlsConfiguration: tls)
        config.httpVersion = .http1Only
        config.timeout = .init(connect: .seconds(10), read: nil)
        config.decompression = .disabled
        http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
    }

    /// `https://IP:PORT` for a Node object, or a Status saying why the node cannot be reached.
    static func endpoint(node: JSON, name: String) throws -> String {
        let addresses = node[path: ["status", "addresses"]]?.array ?? []
        let ip = (addresses.first { $0["type"]?.string == "InternalIP" } ?? addresses.first)?["address"]?.string
        let port = node[path: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"]]?.int ?? 0
        guard let ip, port > 0 else {
            throw StatusError.badRequest("no kubelet endpoint is known for node \"\(name)\"")
        }
        return ip.contains(":") ? "https://[\(ip)]:\(port)" : "https://\(ip):\(port)"
    }

    /// A GET whose answer is passed on as it arrives.
    func get(_ url: String, timeout: Duration) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return try await http.execute(request, timeout: .init(timeout))
    }

    func shutdown() async { try? await http.shutdown() }
}
