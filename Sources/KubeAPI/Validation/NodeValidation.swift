/// Kubernetes' rules for a Node's pod ranges: valid CIDRs, at most one per IP family, and once
/// given they do not change (kube-apiserver's ValidateNode / ValidateNodeUpdate).
public enum NodeValidation {
    public static func validate(node: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let ranges = node[path: ["spec", "podCIDRs"]]?.array ?? []
        var families: [Bool] = []
        for (i, range) in ranges.enumerated() {
            let text = range.string ?? ""
            guard let isIPv6 = family(text) else {
                errs.append(.invalid("spec.podCIDRs[\(i)]", range, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
                continue
            }
            families.append(isIPv6)
        }
        if ranges.count > 2 || Set(families).count < families.count {
            errs.append(.invalid("spec.podCIDRs", .array(ranges), "may specify no more than one CIDR for each IP family"))
        }
        if let single = node[path: ["spec", "podCIDR"]]?.string, !single.isEmpty, family(single) == nil {
            errs.append(.invalid("spec.podCIDR", .string(single), "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
        }
        return errs
    }

    public static func validateUpdate(new: JSON, old: JSON) -> [FieldError] {
        let before = NodePodRanges.of(old), after = NodePodRanges.of(new)
        guard !before.isEmpty, before != after else { return [] }
        return [.forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid")]
    }

    /// false for IPv4, true for IPv6, nil for no CIDR at all.
    static func family(_ text: String) -> Bool? {
        if IPv4CIDR(text) != nil { return false }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Int(parts[1]), (0...128).contains(bits), parts[0].contains(":"),
              parts[0].allSatisfy({ $0.isHexDigit || $0 == ":" }), parts[0].split(separator: ":", omittingEmptySubsequences: false).count <= 8
        else { return nil }
        return true
    }
}
