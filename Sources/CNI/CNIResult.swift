import Foundation

/// The parts of a CNI ADD result (spec 0.3.0 and later) that a runtime reports.
public struct CNIResult: Codable, Sendable, Equatable {
    public struct Interface: Codable, Sendable, Equatable {
        public var name: String
        public var mac: String?
        public var sandbox: String?
    }
    public struct IPConfig: Codable, Sendable, Equatable {
        /// CIDR notation, e.g. `10.1.2.3/24`.
        public var address: String
        public var gateway: String?
        public var interface: Int?
    }
    public struct Route: Codable, Sendable, Equatable {
        public var dst: String
        public var gw: String?
    }
    public struct DNS: Codable, Sendable, Equatable {
        public var nameservers: [String]?
        public var domain: String?
        public var search: [String]?
    }

    public var cniVersion: String?
    public var interfaces: [Interface]?
    public var ips: [IPConfig]?
    public var routes: [Route]?
    public var dns: DNS?

    public init(json: Data) throws {
        do { self = try JSONDecoder().decode(CNIResult.self, from: json) } catch {
            throw CNIError.invalidResult(String(describing: error))
        }
    }

    /// The addresses without prefix length, IPv4 first.
    public var addresses: [String] {
        let bare = (ips ?? []).map { String($0.address.split(separator: "/").first ?? "") }
        return bare.filter { !$0.contains(":") } + bare.filter { $0.contains(":") }
    }
}
