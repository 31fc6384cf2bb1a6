import CRI
import Foundation

/// The node's resolver settings from /etc/resolv.conf, given to pods whose DNS policy falls back
/// to the node (there is no cluster DNS service here).
enum HostDNS {
    static func read(path: String = "/etc/resolv.conf") -> Runtime_V1_DNSConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return .init() }
        return parse(text)
    }

    static func parse(_ text: String) -> Runtime_V1_DNSConfig {
        var config = Runtime_V1_DNSConfig()
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let key = fields.first, !key.hasPrefix("#"), !key.hasPrefix(";") else { continue }
            let values = Array(fields.dropFirst())
            switch key {
            case "nameserver": config.servers += values.prefix(1)
            case "search": config.searches = values
            case "options": config.options += values
            default: break
            }
        }
        return config
    }
}
