import NIOCore
import NIOWebSocket

/// The pipeline's last handler once a connection is a WebSocket: hands channel messages to
/// the session and answers pings and closes.
final class StreamConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let session: any StreamSession
    private var closing = false

    init(session: any StreamSession) {
        self.session = session
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { session.start(FrameWriter(channel: context.channel)) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .text:
            if let message = ChannelFrame(message: frame.unmaskedData.readableBytesView) { session.receive(message) }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            session.clientClosed()
            guard !closing else { context.close(promise: nil); return }
            closing = true
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.write(webSocketErrorCode: .normalClosure)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply))).whenComplete { _ in
                context.close(promise: nil)
            }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        session.clientClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        session.clientClosed()
        context.close(promise: nil)
    }
}
