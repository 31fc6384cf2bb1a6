import NIOCore
import NIOHTTP2

/// Answers the server's PINGs in front of the HTTP/2 handler (see `HTTP2PingFilter`), on the
/// connection's bytes after TLS.
final class PingResponder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var filter = HTTP2PingFilter()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        let (passed, pings) = filter.feed(bytes.readableBytesView)
        for payload in pings {
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: HTTP2PingFilter.acknowledgement(payload))),
                          promise: nil)
        }
        if !pings.isEmpty { context.flush() }
        if !passed.isEmpty { context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: passed))) }
    }

    /// Puts a responder in front of the HTTP/2 handler of a new connection; runs on its event loop.
    static func install(on channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            let http2 = try operations.handler(type: NIOHTTP2Handler.self)
            try operations.addHandler(PingResponder(), position: .before(http2))
        }
    }
}
