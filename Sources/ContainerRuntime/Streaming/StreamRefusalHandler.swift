import NIOCore
import NIOHTTP1

/// Answers the requests that did not become WebSockets: unknown or used tokens (404), no
/// WebSocket upgrade or no protocol in common (400). SPDY is not offered.
final class StreamRefusalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let refusal: @Sendable () -> StreamUpgrade.Refusal?

    init(refusal: @escaping @Sendable () -> StreamUpgrade.Refusal?) {
        self.refusal = refusal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let answer = refusal() ?? StreamUpgrade.Refusal.classify(head)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(answer.message.utf8.count + 1)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: answer.status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: answer.message + "\n")))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
