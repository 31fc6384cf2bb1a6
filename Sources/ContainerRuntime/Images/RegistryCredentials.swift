import Foundation

/// Credentials for one pull, from the CRI `AuthConfig`.
struct RegistryCredentials: Sendable, Equatable {
    var username: String?
    var password: String?
    /// A bearer token to send as is.
    var registryToken: String?

    static let anonymous = RegistryCredentials()

    /// `auth` is base64 `user:password`, as in Docker's config.json.
    init(username: String? = nil, password: String? = nil, auth: String? = nil, registryToken: String? = nil) {
        self.username = username.flatMap { $0.isEmpty ? nil : $0 }
        self.password = password.flatMap { $0.isEmpty ? nil : $0 }
        self.registryToken = registryToken.flatMap { $0.isEmpty ? nil : $0 }
        if self.username == nil, let auth, let decoded = Data(base64Encoded: auth).map({ String(decoding: $0, as: UTF8.self) }),
           let colon = decoded.firstIndex(of: ":") {
            self.username = String(decoded[..<colon])
            self.password = String(decoded[decoded.index(after: colon)...])
        }
    }

    var basicHeader: String? {
        guard let username else { return nil }
        return "Basic " + Data("\(username):\(password ?? "")".utf8).base64EncodedString()
    }
}
