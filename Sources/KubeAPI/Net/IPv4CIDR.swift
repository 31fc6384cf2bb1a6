/// An IPv4 network in CIDR notation (`10.42.0.0/16`), normalised to its network address, with
/// the arithmetic node IPAM needs: how many blocks of a longer prefix it holds, and the i-th one.
public struct IPv4CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The network address, host bits cleared.
    public let base: UInt32
    public let prefix: Int

    /// nil for anything but `a.b.c.d/n` with n in 0...32. Host bits are cleared (`10.1.2.3/16` → `10.1.0.0/16`).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix),
              let address = Self.parseAddress(String(parts[0])) else { return nil }
        self.init(base: address, prefix: prefix)
    }

    public init(base: UInt32, prefix: Int) {
        self.prefix = prefix
        self.base = base & Self.mask(prefix)
    }

    public var description: String { "\(Self.format(base))/\(prefix)" }

    /// How many addresses the network spans.
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefix) }

    public func contains(_ address: UInt32) -> Bool { address & Self.mask(prefix) == base }

    public func contains(_ other: IPv4CIDR) -> Bool { other.prefix >= prefix && contains(other.base) }

    public func overlaps(_ other: IPv4CIDR) -> Bool { contains(other.base) || other.contains(base) }

    /// How many /`blockPrefix` networks this one holds (0 when `blockPrefix` is shorter than its own).
    public func blockCount(prefix blockPrefix: Int) -> Int {
        guard (prefix...32).contains(blockPrefix) else { return 0 }
        return 1 << min(blockPrefix - prefix, 62)
    }

    /// The `index`-th /`blockPrefix` network inside this one, nil past the end.
    public func block(_ index: Int, prefix blockPrefix: Int) -> IPv4CIDR? {
        guard index >= 0, index < blockCount(prefix: blockPrefix) else { return nil }
        return IPv4CIDR(base: base + UInt32(index) << UInt32(32 - blockPrefix), prefix: blockPrefix)
    }

    /// Which /`block.prefix` block of this network `block` is, nil when it is not one of them.
    public func index(of block: IPv4CIDR) -> Int? {
        guard block.prefix >= prefix, contains(block.base) else { return nil }
        return Int((block.base - base) >> UInt32(32 - block.prefix))
    }

    public static func mask(_ prefix: Int) -> UInt32 {
        prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
    }

    /// `a.b.c.d` as a number, nil unless exactly four decimal octets.
    public static func parseAddress(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let n = UInt32(octet), n < 256 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    public static func format(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 255).\(address >> 8 & 255).\(address & 255)"
    }
}
