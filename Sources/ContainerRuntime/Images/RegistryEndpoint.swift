import Foundation

/// One place to reach a registry: a mirror or the registry itself, with what it may be asked
/// to do and how to talk to it (containerd's `hosts.toml` host entry).
public struct RegistryEndpoint: Sendable, Equatable {
    public struct Capabilities: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Fetch content by digest (manifests and blobs).
        public static let pull = Capabilities(rawValue: 1)
        /// Turn a tag into a digest: a trusted operation.
        public static let resolve = Capabilities(rawValue: 2)
        public static let push = Capabilities(rawValue: 4)
        public static let all: Capabilities = [.pull, .resolve, .push]
    }

    /// The API root: requests go to `<apiRoot>/<repository>/manifests/…`.
    public var apiRoot: URL
    public var capabilities: Capabilities
    public var skipVerify: Bool
    /// PEM files of extra certificate authorities, absolute.
    public var caFiles: [String]
    public var headers: [String: [String]]
    /// The registry this endpoint stands in for, sent as `?ns=` when it is a mirror.
    public var namespace: String?

    public init(apiRoot: URL, capabilities: Capabilities = .all, skipVerify: Bool = false, caFiles: [String] = [],
                headers: [String: [String]] = [:], namespace: String? = nil) {
        self.apiRoot = apiRoot
        self.capabilities = capabilities
        self.skipVerify = skipVerify
        self.caFiles = caFiles
        self.headers = headers
        self.namespace = namespace
    }

    /// `/v2` is appended to a host's URL unless `override_path` says the path already is the API root.
    static func apiRoot(_ url: URL, overridePath: Bool) -> URL {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if overridePath || text.hasSuffix("/v2") { return URL(string: text)! }
        return URL(string: text + "/v2")!
    }

    /// The URL of `path` (e.g. `library/busybox/manifests/latest`) under this endpoint.
    func url(_ path: String) -> URL {
        var text = apiRoot.absoluteString + "/" + path
        if let namespace, let encoded = namespace.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) {
            text += "?ns=" + encoded
        }
        return URL(string: text)!
    }
}
