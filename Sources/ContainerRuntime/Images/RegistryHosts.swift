import Foundation

/// Where to reach each registry, like containerd's `hosts.toml`: a registry domain maps to one or
/// more endpoints tried in order, so `docker.io` can be served by a local mirror.
public struct RegistryHosts: Sendable, Equatable {
    public var mirrors: [String: [URL]]

    public init(mirrors: [String: [URL]] = [:]) { self.mirrors = mirrors }

    /// Parses `DOMAIN=URL[,URL…]` entries, e.g. `docker.io=http://127.0.0.1:5000`.
    public init(parsing entries: [String]) throws {
        var mirrors: [String: [URL]] = [:]
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw RuntimeError.invalidArgument("registry mirror \(entry): want DOMAIN=URL") }
            let urls = try parts[1].split(separator: ",").map { text -> URL in
                guard let url = URL(string: String(text)), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                    throw RuntimeError.invalidArgument("registry mirror \(entry): bad URL \(text)")
                }
                return url
            }
            mirrors[parts[0], default: []] += urls
        }
        self.mirrors = mirrors
    }

    /// The endpoints for a registry domain: its mirrors, else the domain itself — over plain HTTP
    /// for loopback hosts (as Docker treats them), HTTPS otherwise.
    public func endpoints(for domain: String) -> [URL] {
        if let configured = mirrors[domain], !configured.isEmpty { return configured }
        let host = domain.split(separator: ":").first.map(String.init) ?? domain
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "[::1]"
        return [URL(string: "\(loopback ? "http" : "https")://\(domain)")!]
    }
}
