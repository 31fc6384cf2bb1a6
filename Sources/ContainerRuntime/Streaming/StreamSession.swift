/// What serves one upgraded streaming connection: `start` once the WebSocket is open, then
/// the client's messages, then `clientClosed` when the client goes away (possibly more than once).
protocol StreamSession: Sendable {
    func start(_ writer: FrameWriter)
    func receive(_ frame: ChannelFrame)
    func clientClosed()
}
