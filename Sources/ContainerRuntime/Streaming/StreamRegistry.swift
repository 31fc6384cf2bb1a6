/// What the CRI calls see of streaming: pending requests, and the URL of the server that
/// serves them once it listens.
final class StreamRegistry: Sendable {
    let cache: StreamRequestCache<ContinuousClock>
    private let base = LockedValue<String?>(nil)

    init(cache: StreamRequestCache<ContinuousClock> = StreamRequestCache(clock: ContinuousClock())) {
        self.cache = cache
    }

    /// `http://HOST:PORT/KIND/TOKEN`, for one use within the cache's lifetime of a token.
    func url(for request: StreamRequest) throws -> String {
        guard let base = base.get() else { throw RuntimeError.unavailable("the streaming server is not listening") }
        return "\(base)/\(request.kind)/\(try cache.insert(request))"
    }

    func listening(host: String, port: Int) {
        base.set("http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
    }

    /// Splits `/KIND/TOKEN` (query ignored); nil for any other path.
    static func route(_ uri: String) -> (kind: String, token: String)? {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, ["exec", "attach", "portforward"].contains(parts[1]), !parts[2].isEmpty else { return nil }
        return (String(parts[1]), String(parts[2]))
    }
}
