import Foundation

/// Pending streaming requests under random single-use tokens, as the kubelet's streaming
/// library keeps them: a token expires `ttl` after it was issued, and at most `capacity`
/// requests wait at once.
final class StreamRequestCache<C: Clock>: Sendable where C.Duration == Duration {
    private struct Entry: Sendable {
        var request: StreamRequest
        var expiry: C.Instant
    }

    private let entries = LockedValue<[String: Entry]>([:])
    private let clock: C
    let ttl: Duration
    let capacity: Int

    init(clock: C, ttl: Duration = .seconds(60), capacity: Int = 1000) {
        self.clock = clock
        self.ttl = ttl
        self.capacity = capacity
    }

    func insert(_ request: StreamRequest) throws -> String {
        let now = clock.now
        return try entries.withValue { entries in
            entries = entries.filter { $0.value.expiry > now }
            guard entries.count < capacity else { throw RuntimeError.resourceExhausted("maximum number of in-flight requests exceeded") }
            var token = StreamRequestCache.makeToken()
            while entries[token] != nil { token = StreamRequestCache.makeToken() }
            entries[token] = Entry(request: request, expiry: now.advanced(by: ttl))
            return token
        }
    }

    /// The request behind `token`, removed; nil when unknown, already used or expired.
    func consume(_ token: String) -> StreamRequest? {
        let now = clock.now
        return entries.withValue { entries in
            guard let entry = entries.removeValue(forKey: token), entry.expiry > now else { return nil }
            return entry.request
        }
    }

    var count: Int { entries.get().count }

    /// 16 random bytes, base64url without padding: safe in a URL path.
    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
