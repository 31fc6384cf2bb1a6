/// One member's client URL, parsed: `http://127.0.0.1:2379`, `https://etcd-0:2379`, or `host:port`.
struct EtcdEndpoint: Sendable, Equatable {
    let host: String
    let port: Int
    let tls: Bool

    init(host: String, port: Int, tls: Bool) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    init(_ url: String) throws(EtcdConfigurationError) {
        var rest = Substring(url.filter { $0 != " " && $0 != "\t" && $0 != "\n" })
        var tls = false
        if rest.hasPrefix("https://") {
            tls = true
            rest = rest.dropFirst("https://".count)
        } else if rest.hasPrefix("http://") {
            rest = rest.dropFirst("http://".count)
        } else if rest.contains("://") {
            throw .badEndpoint(url)
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (1...65535).contains(port), colon > rest.startIndex else {
            throw .badEndpoint(url)
        }
        var host = rest[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        self.host = String(host)
        self.port = port
        self.tls = tls
    }
}

public enum EtcdConfigurationError: Error, CustomStringConvertible {
    case badEndpoint(String)
    case noEndpoints
    case incompleteClientCertificate

    public var description: String {
        switch self {
        case .badEndpoint(let url): "bad etcd endpoint \"\(url)\": want http://host:port or https://host:port"
        case .noEndpoints: "no etcd endpoints given"
        case .incompleteClientCertificate: "an etcd client certificate needs both --datastore-certfile and --datastore-keyfile"
        }
    }
}
