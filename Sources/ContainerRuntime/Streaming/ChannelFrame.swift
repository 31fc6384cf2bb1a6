/// One message of the channel protocols: a stream id byte, then that stream's bytes.
struct ChannelFrame: Sendable, Equatable {
    var stream: UInt8
    var payload: [UInt8]

    static let stdin: UInt8 = 0
    static let stdout: UInt8 = 1
    static let stderr: UInt8 = 2
    static let error: UInt8 = 3
    static let resize: UInt8 = 4
    /// v5 only: `[255, stream]` half-closes `stream`.
    static let close: UInt8 = 255

    init(stream: UInt8, payload: [UInt8] = []) {
        self.stream = stream
        self.payload = payload
    }

    /// nil for an empty message, which names no stream.
    init?(message: some Collection<UInt8>) {
        guard let first = message.first else { return nil }
        stream = first
        payload = Array(message.dropFirst())
    }

    var bytes: [UInt8] { [stream] + payload }

    /// Port forwarding opens each stream with its port, 2 bytes little-endian.
    static func portPrefix(_ port: UInt16) -> [UInt8] { [UInt8(port & 0xff), UInt8(port >> 8)] }
}
