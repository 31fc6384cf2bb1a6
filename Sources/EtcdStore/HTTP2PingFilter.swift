/// Takes the PING requests out of the HTTP/2 frames a server sends, so they can be answered
/// before swift-nio-http2 sees them; every other byte passes through unchanged and in order.
///
/// Why: etcd's gRPC server (grpc-go) estimates bandwidth by sending a PING whenever it receives
/// data and none of its PINGs is outstanding, i.e. once per request on a connection making one
/// call at a time. swift-nio-http2 counts every PING it receives as a possible flood and closes
/// the connection (GOAWAY ENHANCE_YOUR_CALM) after 200 in 30 s, and grpc-swift's transport does
/// not let that limit be set: without this, the connection to etcd dropped every ~200 calls.
struct HTTP2PingFilter: Sendable {
    static let frameHeaderSize = 9
    static let ping: UInt8 = 6
    static let ack: UInt8 = 1

    private var header: [UInt8] = []
    /// Payload bytes of the current frame still to pass through.
    private var passing = 0
    /// The payload of a PING request being read.
    private var ping: [UInt8]?

    /// Splits `input`, the next bytes from the server, into what passes on and the payloads of
    /// the PING requests it completed.
    mutating func feed(_ input: some Collection<UInt8>) -> (passed: [UInt8], pings: [[UInt8]]) {
        var passed: [UInt8] = []
        passed.reserveCapacity(input.count)
        var pings: [[UInt8]] = []
        var index = input.startIndex
        while index != input.endIndex {
            let available = input.distance(from: index, to: input.endIndex)
            if passing > 0 {
                let end = input.index(index, offsetBy: min(passing, available))
                passed += input[index..<end]
                passing -= input.distance(from: index, to: end)
                index = end
            } else if var payload = ping {
                let end = input.index(index, offsetBy: min(8 - payload.count, available))
                payload += input[index..<end]
                index = end
                if payload.count == 8 {
                    pings.append(payload)
                    ping = nil
                } else {
                    ping = payload
                }
            } else {
                header.append(input[index])
                index = input.index(after: index)
                if header.count == Self.frameHeaderSize { startFrame(&passed) }
            }
        }
        return (passed, pings)
    }

    private mutating func startFrame(_ passed: inout [UInt8]) {
        let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
        let streamID = header[5...8].reduce(0) { $0 << 8 | UInt32($1) } & 0x7FFF_FFFF
        if header[3] == Self.ping, header[4] & Self.ack == 0, length == 8, streamID == 0 {
            ping = []
        } else {
            // Anything unusual (a malformed PING too) is left to swift-nio-http2 to judge.
            passed += header
            passing = length
        }
        header = []
    }

    /// The PING acknowledgement frame for `payload` (RFC 9113 §6.7).
    static func acknowledgement(_ payload: [UInt8]) -> [UInt8] {
        [0, 0, 8, ping, ack, 0, 0, 0, 0] + payload
    }
}
