import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// The CRI gRPC server on a unix socket, as a `Service`: it serves until graceful shutdown.
public struct CRIServer: Service {
    let runtime: NodeRuntime
    let logger: Logger

    public init(runtime: NodeRuntime, logger: Logger) {
        self.runtime = runtime
        self.logger = logger
    }

    public func run() async throws {
        let path = runtime.configuration.listenPath
        try Files.mkdir((path as NSString).deletingLastPathComponent)
        let server = GRPCServer(
            transport: .http2NIOPosix(address: .unixDomainSocket(path: path), transportSecurity: .plaintext),
            services: [CRIRuntimeService(runtime: runtime), CRIImageService(runtime: runtime)])
        let streaming = try await StreamingServer(runtime: runtime, logger: logger).bind()
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                // Cancelled (another service of the group failed), the streaming listener is
                // closed too: waiting on its close future alone would hold the group open.
                group.addTask {
                    try await withTaskCancellationHandler {
                        try await streaming.closeFuture.get()
                    } onCancel: {
                        streaming.close(promise: nil)
                    }
                }
                group.addTask { try await server.serve() }
                if let address = try await server.listeningAddress {
                    logger.info("CRI server listening", metadata: ["address": "\(address)"])
                }
            }
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
            streaming.close(promise: nil)
        }
    }
}
