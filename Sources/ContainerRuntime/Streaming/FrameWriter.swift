import NIOCore
import NIOWebSocket

/// Writes channel frames to one WebSocket connection, from any thread.
struct FrameWriter: Sendable {
    let channel: Channel

    @discardableResult
    func send(_ frame: ChannelFrame) -> EventLoopFuture<Void> {
        let buffer = channel.allocator.buffer(bytes: frame.bytes)
        return channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, data: buffer))
    }

    /// Sends and waits until the frame is written, so a fast producer cannot outrun the client.
    /// Only for threads that are not the channel's event loop. False once the connection is gone.
    func sendBlocking(_ frame: ChannelFrame) -> Bool {
        (try? send(frame).wait()) != nil
    }

    /// A normal close (1000), then the TCP connection.
    func finish() {
        var data = channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: .normalClosure)
        let channel = self.channel
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
