/// A Node's pod ranges: `spec.podCIDRs`, or the older single `spec.podCIDR` when that is all it has.
public enum NodePodRanges {
    public static func of(_ node: JSON) -> [String] {
        let ranges = node[path: ["spec", "podCIDRs"]]?.array?.compactMap(\.string) ?? []
        if !ranges.isEmpty { return ranges }
        return [node[path: ["spec", "podCIDR"]]?.string].compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// The first IPv4 range.
    public static func ipv4(_ node: JSON) -> IPv4CIDR? {
        of(node).lazy.compactMap { IPv4CIDR($0) }.first
    }
}
