import KubeAPI

/// What the scheduler watches: pods and nodes (and, for volume binding, claims, volumes and
/// storage classes), first listed, then watched.
public enum ClusterEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case pod, node, claim, volume, storageClass }

    /// A full list; objects absent from it are treated as deleted (initial list and relists).
    case listed(Kind, [JSON])
    case added(Kind, JSON)
    case modified(Kind, JSON)
    case deleted(Kind, JSON)
}
