/// The WebSocket subprotocols of Kubernetes' remote command streams (exec, attach), newest first.
/// v5 adds the close channel (255); the others differ from v4 only in the error channel's format,
/// which is passed through untouched.
public enum ChannelProtocol {
    public static let v5 = "v5.channel.k8s.io"
    public static let v4 = "v4.channel.k8s.io"
    public static let supported = [v5, v4, "channel.k8s.io"]

    /// The first protocol of the client's `Sec-WebSocket-Protocol` list that we speak.
    public static func choose(offered header: String?) -> String? {
        let offered = (header ?? "").split(separator: ",").map { $0.filter { $0 != " " && $0 != "\t" } }
        return offered.first { supported.contains($0) }
    }

    /// The protocols to offer a server further down, best first: ours, then older ones we can
    /// translate to (dropping v5's close frames).
    public static func fallbacks(for chosen: String) -> [String] {
        chosen == v5 ? [v5, v4] : [chosen]
    }
}
