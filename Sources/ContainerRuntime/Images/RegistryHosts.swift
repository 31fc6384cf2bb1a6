import Foundation

/// Where to reach each registry: `--registry-mirror` entries and containerd's registry host
/// directory (`<dir>/<host>/hosts.toml`, else `<dir>/_default/hosts.toml`), read at every pull
/// so edits need no restart, as in containerd.
public struct RegistryHosts: Sendable, Equatable {
    /// Endpoints that stand in for a registry, tried first; alone (no upstream) unless a hosts
    /// file also names the registry.
    public var mirrors: [String: [URL]]
    /// The hosts directory; nil, or a directory that does not exist, reads nothing.
    public var configDirectory: String?

    public init(mirrors: [String: [URL]] = [:], configDirectory: String? = nil) {
        self.mirrors = mirrors
        self.configDirectory = configDirectory
    }

    /// Parses `DOMAIN=URL[,URL…]` entries, e.g. `docker.io=http://127.0.0.1:5000`.
    public init(parsing entries: [String], configDirectory: String? = nil) throws {
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
        self.init(mirrors: mirrors, configDirectory: configDirectory)
    }

    /// The endpoints for a registry domain, in the order to try them. A broken hosts file is an
    /// error naming the file and line.
    func endpoints(for domain: String) throws -> [RegistryEndpoint] {
        var file: HostsFile?
        if let configDirectory, let path = RegistryHosts.hostsFile(for: domain, in: configDirectory, exists: Files.exists) {
            guard let data = Files.read(path) else { throw RuntimeError.io("\(path): cannot be read") }
            do { file = try HostsFile.parse(String(decoding: data, as: UTF8.self), file: path) } catch {
                throw RuntimeError.invalidArgument("registry host configuration \(error)")
            }
        }
        return RegistryHosts.merge(domain: domain, mirrors: mirrors[domain] ?? [], file: file)
    }

    /// containerd's lookup order: `host_port_`, `host:port`, then `_default`.
    static func hostsFile(for domain: String, in directory: String, exists: (String) -> Bool) -> String? {
        var names = [domain]
        if let colon = domain.lastIndex(of: ":"), !domain.hasSuffix("]") {
            names.insert(domain[..<colon] + "_" + domain[domain.index(after: colon)...] + "_", at: 0)
        }
        names.append("_default")
        return names.map { "\(directory)/\($0)/hosts.toml" }.first(where: exists)
    }

    /// Mirrors first, then the file's hosts in order, then its server (or the registry's own).
    /// Without a file, mirrors replace the registry as `--registry-mirror` always did.
    static func merge(domain: String, mirrors: [URL], file: HostsFile?) -> [RegistryEndpoint] {
        var result = mirrors.map { RegistryEndpoint(apiRoot: RegistryEndpoint.apiRoot($0, overridePath: false)) }
        guard let file else { return result.isEmpty ? [endpoint(defaultServer(for: domain), HostsFile.Options(), domain: domain)] : result }
        result += file.hosts.map { endpoint($0.url, $0.options, domain: domain) }
        result.append(endpoint(file.server ?? defaultServer(for: domain), file.serverOptions, domain: domain))
        return result
    }

    private static func endpoint(_ url: URL, _ options: HostsFile.Options, domain: String) -> RegistryEndpoint {
        let authority = url.host.map { host in url.port.map { "\(host):\($0)" } ?? host } ?? ""
        return RegistryEndpoint(
            apiRoot: RegistryEndpoint.apiRoot(url, overridePath: options.overridePath),
            capabilities: options.capabilities ?? .all, skipVerify: options.skipVerify, caFiles: options.caFiles,
            headers: options.headers, namespace: authority == domain || (isDockerHub(domain) && authority == dockerHubServer) ? nil : domain)
    }

    static let dockerHubServer = "registry-1.docker.io"

    static func isDockerHub(_ domain: String) -> Bool { domain == "docker.io" }

    /// The registry itself: Docker Hub's API host for docker.io; plain HTTP for loopback hosts (as
    /// Docker treats them), HTTPS otherwise.
    static func defaultServer(for domain: String) -> URL {
        if isDockerHub(domain) { return URL(string: "https://\(dockerHubServer)")! }
        let host = domain.split(separator: ":").first.map(String.init) ?? domain
        let loopback = host == "localhost" || host.hasPrefix("127.") || domain.hasPrefix("[::1]")
        return URL(string: "\(loopback ? "http" : "https")://\(domain)")!
    }
}
