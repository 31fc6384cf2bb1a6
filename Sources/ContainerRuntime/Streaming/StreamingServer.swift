import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The HTTP server behind the URLs that Exec, Attach and PortForward return: each GET
/// upgrades to a WebSocket speaking the Kubernetes channel protocols.
struct StreamingServer: Sendable {
    let runtime: NodeRuntime
    let logger: Logger

    /// Listens on the configured address; the registry hands out URLs from then on.
    func bind() async throws -> Channel {
        let configuration = runtime.configuration
        let planner = StreamPlanner(runtime: runtime, execDirectory: configuration.stateDirectory + "/exec", logger: logger)
        try Files.mkdir(planner.execDirectory)
        let registry = runtime.streams
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let upgrade = StreamUpgrade(registry: registry, planner: planner)
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: StreamUpgrade.maxMessageSize,
                    shouldUpgrade: { channel, head in upgrade.shouldUpgrade(channel: channel, head: head) },
                    upgradePipelineHandler: { channel, head in upgrade.upgradePipeline(channel: channel, head: head) })
                return channel.eventLoop.makeCompletedFuture {
                    let refusal = StreamRefusalHandler(refusal: { upgrade.refusal })
                    let configuration: NIOHTTPServerUpgradeConfiguration = (upgraders: [upgrader], completionHandler: { context in
                        context.pipeline.syncOperations.removeHandler(refusal, promise: nil)
                    })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withServerUpgrade: configuration)
                    try channel.pipeline.syncOperations.addHandler(refusal)
                }
            }
            .bind(host: configuration.streamAddress, port: configuration.streamPort).get()
        let port = channel.localAddress?.port ?? configuration.streamPort
        registry.listening(host: configuration.streamAddress, port: port)
        logger.info("streaming server listening", metadata: ["address": "\(configuration.streamAddress):\(port)"])
        return channel
    }
}
