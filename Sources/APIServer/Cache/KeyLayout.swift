import KubeAPI

/// Maps storage keys back to the resource they belong to.
public enum KeyLayout {
    static let byPrefix: [String: ResourceInfo] = Dictionary(
        ResourceCatalog.all.map { ($0.keyPrefix, $0) }, uniquingKeysWith: { a, _ in a })

    public static func resource(forKey key: String) -> ResourceInfo? {
        guard key.hasPrefix("/registry/") else { return nil }
        let rest = key.dropFirst("/registry/".count).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard let first = rest.first else { return nil }
        if first.contains("."), rest.count > 1 {
            return byPrefix["/registry/\(first)/\(rest[1])/"]
        }
        return byPrefix["/registry/\(first)/"]
    }
}
