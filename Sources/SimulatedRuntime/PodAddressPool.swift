import KubeAPI

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
        guard let network = IPv4CIDR(cidr), network.prefix <= 30 else { return nil }
        self.cidr = cidr
        base = network.base
        size = UInt32(network.size)
    }

    public var capacity: Int { Int(size) - 3 }

    public mutating func allocate() -> String? {
        guard used.count < capacity else { return nil }
        while used.contains(next) || next >= size - 1 {
            next = next >= size - 1 ? 2 : next + 1
        }
        used.insert(next)
        let address = IPv4CIDR.format(base + next)
        next = next + 1 >= size - 1 ? 2 : next + 1
        return address
    }

    public mutating func release(_ address: String) {
        guard let ip = IPv4CIDR.parseAddress(address), ip >= base, ip - base < size else { return }
        used.remove(ip - base)
    }

    /// The i-th /`prefix` block of `cluster` (node i's pod range), nil past its end.
    public static func block(_ index: Int, of cluster: String, prefix: Int) -> String? {
        guard prefix <= 30 else { return nil }
        return IPv4CIDR(cluster)?.block(index, prefix: prefix)?.description
    }
}
