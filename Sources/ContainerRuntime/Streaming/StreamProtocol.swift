import Foundation

/// The WebSocket subprotocols of Kubernetes' streaming endpoints. All are binary: byte 0 of a
/// message names the stream.
enum StreamProtocol: String, Sendable, CaseIterable {
    /// v4 plus stream 255: the client half-closes a stream with `[255, stream]`.
    case v5 = "v5.channel.k8s.io"
    /// The exit status is a JSON `Status` on the error stream.
    case v4 = "v4.channel.k8s.io"
    /// The error stream carries plain text, and nothing on success.
    case v1 = "channel.k8s.io"
    /// Port forwarding's own name (its frames are the same as v4's).
    case portForwardV1 = "portforward.k8s.io"
    /// The client offered no subprotocol: treated as `channel.k8s.io`, and none is echoed.
    case unnamed = ""

    static let remoteCommand: [StreamProtocol] = [.v5, .v4, .v1, .unnamed]
    static let portForward: [StreamProtocol] = [.v4, .portForwardV1, .unnamed]

    var reportsStatusJSON: Bool { self == .v5 || self == .v4 }
    var supportsClose: Bool { self == .v5 }

    /// The first protocol the client offers that is supported, as the kubelet's handshake
    /// picks it; values of `Sec-WebSocket-Protocol` are comma-separated, possibly on several lines.
    static func negotiate(offered headerValues: [String], supported: [StreamProtocol]) -> StreamProtocol? {
        var offered = headerValues.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        if offered.isEmpty { offered = [""] }
        for name in offered {
            if let chosen = supported.first(where: { $0.rawValue == name }) { return chosen }
        }
        return nil
    }
}
