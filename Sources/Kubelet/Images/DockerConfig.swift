import Foundation
import KubeAPI

/// Registry credentials from an imagePullSecret (`kubernetes.io/dockerconfigjson` or the older
/// `kubernetes.io/dockercfg`), matched to an image's registry the way the kubelet's keyring does:
/// an entry's host (with an optional scheme and path) must equal the image's registry host.
public struct DockerConfig: Sendable, Equatable {
    public struct Credentials: Sendable, Equatable {
        public var server: String
        public var username: String
        public var password: String
    }

    public var entries: [Credentials]

    public init?(secret: JSON) {
        let data = secret["data"]?.object ?? JSONObject()
        let raw = data[".dockerconfigjson"]?.string ?? data[".dockercfg"]?.string
        guard let raw, let bytes = Data(base64Encoded: raw), let json = try? JSONParser.parse(Array(bytes)) else { return nil }
        let auths = json["auths"]?.object ?? json.object ?? JSONObject()
        entries = auths.compactMap { server, entry in
            var user = entry["username"]?.string ?? ""
            var password = entry["password"]?.string ?? ""
            if let auth = entry["auth"]?.string, let decoded = Data(base64Encoded: auth).map({ String(decoding: $0, as: UTF8.self) }),
               let colon = decoded.firstIndex(of: ":") {
                user = String(decoded[..<colon])
                password = String(decoded[decoded.index(after: colon)...])
            }
            guard !user.isEmpty || !password.isEmpty else { return nil }
            return Credentials(server: server, username: user, password: password)
        }
    }

    public func credentials(for image: String) -> Credentials? {
        let registry = Self.registry(of: image)
        return entries.first { Self.host(of: $0.server) == registry }
    }

    /// The registry host of an image reference; Docker Hub's when none is named.
    static func registry(of image: String) -> String {
        let first = image.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        guard image.contains("/"), first.contains(".") || first.contains(":") || first == "localhost" else { return "docker.io" }
        return first
    }

    static func host(of server: String) -> String {
        var s = Substring(server)
        if let r = s.range(of: "://") { s = s[r.upperBound...] }
        let host = String(s.split(separator: "/").first ?? "")
        return host == "index.docker.io" || host == "registry-1.docker.io" ? "docker.io" : host
    }
}
