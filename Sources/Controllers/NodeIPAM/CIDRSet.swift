import KubeAPI

/// The pod ranges of a cluster: `--cluster-cidr` cut into blocks of `--node-cidr-mask-size`, each
/// handed to at most one node. Allocation goes round from the block after the last one given
/// (as kube-controller-manager's cidrset does), so a released block is not reused at once.
public struct CIDRSet: Sendable, Equatable {
    public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
        case invalidClusterCIDR(String)
        case invalidMaskSize(cluster: String, mask: Int)

        public var description: String {
            switch self {
            case .invalidClusterCIDR(let s): "invalid --cluster-cidr \"\(s)\": want an IPv4 network such as 10.42.0.0/16"
            case .invalidMaskSize(let cluster, let mask):
                "--node-cidr-mask-size \(mask) does not fit --cluster-cidr \(cluster): it must be between the cluster's prefix and 30"
            }
        }
    }

    public let cluster: IPv4CIDR
    public let maskSize: Int
    private var used: Set<Int> = []
    private var next = 0

    public init(cluster text: String, maskSize: Int) throws {
        guard let cluster = IPv4CIDR(text) else { throw ConfigurationError.invalidClusterCIDR(text) }
        // Upstream caps the difference at 16 bits (65,536 nodes); a node's range must hold pods.
        guard maskSize >= cluster.prefix, maskSize <= 30, maskSize - cluster.prefix <= 16 else {
            throw ConfigurationError.invalidMaskSize(cluster: text, mask: maskSize)
        }
        self.cluster = cluster
        self.maskSize = maskSize
    }

    public var capacity: Int { cluster.blockCount(prefix: maskSize) }
    public var allocatedCount: Int { used.count }

    /// Marks a range a node already has as taken. False when it is not one of this set's blocks
    /// (a range given by someone else, or under another configuration): it is left alone.
    @discardableResult
    public mutating func occupy(_ text: String) -> Bool {
        guard let block = IPv4CIDR(text), block.prefix == maskSize, let index = cluster.index(of: block) else { return false }
        used.insert(index)
        return true
    }

    /// The next free block, nil when every block is taken.
    public mutating func allocate() -> String? {
        let count = capacity
        guard used.count < count else { return nil }
        var candidate = next
        while used.contains(candidate) { candidate = (candidate + 1) % count }
        used.insert(candidate)
        next = (candidate + 1) % count
        return cluster.block(candidate, prefix: maskSize)?.description
    }

    public mutating func release(_ text: String) {
        guard let block = IPv4CIDR(text), block.prefix == maskSize, let index = cluster.index(of: block) else { return }
        used.remove(index)
    }
}
