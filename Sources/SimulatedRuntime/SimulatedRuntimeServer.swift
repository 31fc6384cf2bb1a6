import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle

/// One simulated node's CRI endpoint: a real gRPC server on a unix socket, so the kubelet reaches
/// a simulated runtime exactly as it reaches ours or containerd's.
public struct SimulatedRuntimeServer: Service {
    public let node: SimulatedNode
    public let socketPath: String

    public init(node: SimulatedNode, socketPath: String) {
        self.node = node
        self.socketPath = socketPath
    }

    public func run() async throws {
        try FileManager.default.createDirectory(
            atPath: (socketPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: socketPath)
        let server = GRPCServer(
            transport: .http2NIOPosix(address: .unixDomainSocket(path: socketPath), transportSecurity: .plaintext),
            services: [SimulatedRuntimeService(node: node), SimulatedImageService(node: node)])
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
        try? FileManager.default.removeItem(atPath: socketPath)
    }
}
