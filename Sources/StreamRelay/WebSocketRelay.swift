import HTTPTypes
import KubeAPI
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import WSClient
import WSCore

/// Joins a WebSocket a client opened to us with one we open further down (API server → kubelet →
/// runtime streaming server), copying binary messages both ways until either side ends. The
/// remote-command frames are not interpreted, except that v5's close frames are dropped when the
/// far side only speaks an older protocol.
public enum WebSocketRelay {
    public struct Upstream: Sendable {
        /// The `ws://` or `wss://` URL to connect to.
        public var url: String
        public var headers: HTTPFields
        public var tls: TLSConfiguration?
        /// The TLS server name to send; an IP address may not be one.
        public var serverName: String?

        public init(url: String, headers: HTTPFields = [:], tls: TLSConfiguration? = nil, serverName: String? = nil) {
            self.url = url
            self.headers = headers
            self.tls = tls
            self.serverName = serverName
        }
    }

    /// Tries each protocol in turn (a refused upgrade moves to the next; `upstream` is asked
    /// again because streaming URLs are single-use), then relays.
    public static func relay(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, chosen: String,
                             logger: Logger, upstream: @Sendable (String) async throws -> Upstream) async throws {
        var lastError: (any Error)?
        for proto in ChannelProtocol.fallbacks(for: chosen) {
            let target = try await upstream(proto)
            var headers = target.headers
            headers[HTTPField.Name("Sec-WebSocket-Protocol")!] = proto
            let dropClose = chosen == ChannelProtocol.v5 && proto != ChannelProtocol.v5
            do {
                try await WebSocketClient.connect(
                    url: target.url, configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers, sniHostname: target.serverName),
                    tlsConfiguration: target.tls, logger: logger
                ) { upIn, upOut, _ in
                    try await pump(inbound, outbound, upIn, upOut, dropClose: dropClose)
                }
                return
            } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
                lastError = error
                continue
            }
        }
        if let lastError { throw lastError }
    }

    /// Tells the client why the stream failed, on the error channel (3), as a Failure Status.
    public static func fail(_ outbound: WebSocketOutboundWriter, message: String) async {
        let status: JSON = .object(JSONObject([("metadata", .object(JSONObject())), ("status", "Failure"),
                                               ("message", .string(message)), ("reason", "InternalError"), ("code", 500)]))
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(3))
        buffer.writeBytes(status.bytes)
        try? await outbound.writeBinaryMessage(buffer)
    }

    private static func pump(_ downIn: WebSocketInboundStream, _ downOut: WebSocketOutboundWriter,
                             _ upIn: WebSocketInboundStream, _ upOut: WebSocketOutboundWriter, dropClose: Bool) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for try await message in downIn.messages(maxSize: 1 << 24) {
                    guard case .binary(let buffer) = message else { continue }
                    if dropClose, buffer.readableBytesView.first == 255 { continue }
                    try await upOut.writeBinaryMessage(buffer)
                }
                // The client went away: end the command's side too.
                try? await upOut.close(.normalClosure, reason: nil)
                return false
            }
            group.addTask {
                for try await message in upIn.messages(maxSize: 1 << 24) {
                    switch message {
                    case .binary(let buffer): try await downOut.writeBinaryMessage(buffer)
                    case .text(let text): try await downOut.writeTextMessage(text)
                    }
                }
                return true
            }
            // Whichever side ends first ends the relay, except that a client that only closed
            // its input still waits for the command's output.
            while let upstreamDone = try await group.next() {
                if upstreamDone { break }
            }
            group.cancelAll()
        }
    }
}
