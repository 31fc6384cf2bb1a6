/// Maps storage keys and revisions to etcd's and back.
///
/// Keys: a storage key beginning with `storageRoot` is stored as `keyPrefix` + the rest; any other
/// key as `keyPrefix` + the key. Revisions: etcd's empty store is at revision 1 and its first
/// write is 2, while the storage contract's empty store is at 0 and its first write is 1, so a
/// storage revision is etcd's minus one. Every API server maps the same way, so revisions (and
/// the resourceVersions built from them) agree across servers.
///
/// Every write also puts `revisionKey` in the same transaction (so at the same revision): its
/// mod_revision is the revision of the latest write to this cluster's keys, even when other
/// clusters write to the same etcd under other prefixes, whose writes also move etcd's one
/// revision counter. It lies outside every prefix range, so no list or watch of ours sees it.
struct EtcdKeySpace: Sendable {
    let keyPrefix: [UInt8]
    let storageRoot: [UInt8]
    let revisionKey: [UInt8]

    init(keyPrefix: String, storageRoot: String) {
        self.keyPrefix = Array(keyPrefix.utf8)
        self.storageRoot = Array(storageRoot.utf8)
        revisionKey = [0] + Array("skiff/last-write:".utf8) + self.keyPrefix
    }

    func etcdKey(_ key: String) -> [UInt8] {
        let bytes = Array(key.utf8)
        if !storageRoot.isEmpty, bytes.starts(with: storageRoot) {
            return keyPrefix + bytes.dropFirst(storageRoot.count)
        }
        return keyPrefix + bytes
    }

    func storageKey(_ etcdKey: [UInt8]) -> String? {
        guard etcdKey.starts(with: keyPrefix) else { return nil }
        let rest = etcdKey.dropFirst(keyPrefix.count)
        return String(decoding: storageRoot + rest, as: UTF8.self)
    }

    /// The etcd range `[key, rangeEnd)` holding every storage key with `prefix`.
    func range(prefix: String) -> (key: [UInt8], rangeEnd: [UInt8]) {
        let bytes = Array(prefix.utf8)
        // A prefix shorter than the storage root (such as "") covers the whole key prefix.
        let start = (!storageRoot.isEmpty && storageRoot.starts(with: bytes) && bytes.count < storageRoot.count)
            ? keyPrefix : etcdKey(prefix)
        return (start, Self.prefixEnd(start))
    }

    /// The smallest key greater than every key beginning with `prefix`; `[0]` (no end) for "" or all-0xFF.
    static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }

    static func etcdRevision(_ storage: Int64) -> Int64 { storage + 1 }
    static func storageRevision(_ etcd: Int64) -> Int64 { etcd - 1 }
}
