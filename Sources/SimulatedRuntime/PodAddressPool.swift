/// Pod addresses of one simulated node: the hosts of an IPv4 CIDR (network, gateway `.1` and
/// broadcast excluded), handed out lowest first and reused once released. The addresses are only
/// reported, never configured anywhere.
public struct PodAddressPool: Sendable, Equatable {
    public let cidr: String
    private let base: UInt32
    private let size: UInt32
    private var used: Set<UInt32> = []
    private var next: UInt32 = 2

    /// nil for anything but a valid IPv4 CIDR with room for at least one pod (prefix ≤ 30).
    public init?(cidr: String) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (0...30).contains(prefix), let ip = Self.parse(String(parts[0])) else { return nil }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
        self.cidr = cidr
        base = ip & mask
        size = UInt32(1) << UInt32(32 - prefix)
    }

    public var capacity: Int { Int(size) - 3 }

    public mutating func allocate() -> String? {
        guard used.count < capacity else { return nil }
        while used.contains(next) || next >= size - 1 {
            next = next >= size - 1 ? 2 : next + 1
        }
        used.insert(next)
        let address = Self.format(base + next)
        next = next + 1 >= size - 1 ? 2 : next + 1
        return address
    }

    public mutating func release(_ address: String) {
        guard let ip = Self.parse(address), ip >= base, ip - base < size else { return }
        used.remove(ip - base)
    }

    /// The i-th /`prefix` block of `cluster` (node i's pod range), nil past its end.
    public static func block(_ index: Int, of cluster: String, prefix: Int) -> String? {
        let parts = cluster.split(separator: "/")
        guard parts.count == 2, let clusterPrefix = Int(parts[1]), let ip = parse(String(parts[0])),
              (clusterPrefix...30).contains(prefix), index >= 0 else { return nil }
        let blocks = 1 << (prefix - clusterPrefix)
        guard index < blocks else { return nil }
        let mask: UInt32 = clusterPrefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - clusterPrefix)
        let start = (ip & mask) + UInt32(index) << UInt32(32 - prefix)
        return "\(format(start))/\(prefix)"
    }

    static func parse(_ s: String) -> UInt32? {
        let octets = s.split(separator: ".", omittingEmptySubsequences: false).map { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 != nil && $0! < 256 }) else { return nil }
        return octets.reduce(UInt32(0)) { $0 << 8 | $1! }
    }

    static func format(_ ip: UInt32) -> String {
        "\(ip >> 24).\(ip >> 16 & 255).\(ip >> 8 & 255).\(ip & 255)"
    }
}
