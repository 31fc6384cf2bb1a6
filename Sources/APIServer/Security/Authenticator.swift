import Synchronization

/// Bearer-token authentication: a token maps to a user name.
public final class Authenticator: Sendable {
    private let tokens: Mutex<[String: String]>

    public init(tokens: [String: String]) { self.tokens = Mutex(tokens) }

    public func add(token: String, user: String) { tokens.withLock { $0[token] = user } }

    /// The user a request's Authorization header names, or nil.
    public func authenticate(_ header: String?) -> String? {
        guard let h = header, h.count > 7, h.prefix(7).lowercased() == "bearer " else { return nil }
        let token = h.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return tokens.withLock { $0[token] }
    }
}

import Foundation
