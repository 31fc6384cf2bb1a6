import KubeAPI

/// Whether a PersistentVolume can satisfy a claim, and which of several is best: the smallest
/// one that is big enough (findMatchingVolume upstream).
public enum VolumeMatching {
    public static func requestedBytes(_ claim: JSON) -> Int64 {
        claim[path: ["spec", "resources", "requests", "storage"]].flatMap { try? Quantity(json: $0) }?.value ?? 0
    }

    static func capacityBytes(_ pv: JSON) -> Int64 {
        pv[path: ["spec", "capacity", "storage"]].flatMap { try? Quantity(json: $0) }?.value ?? 0
    }

    static func accessModes(_ o: JSON) -> Set<String> {
        Set(o[path: ["spec", "accessModes"]]?.array?.compactMap(\.string) ?? [])
    }

    /// The claim's class: `spec.storageClassName`, else the old beta annotation, else "".
    public static func className(_ claim: JSON) -> String {
        claim[path: ["spec", "storageClassName"]]?.string
            ?? claim[path: ["metadata", "annotations", "volume.beta.kubernetes.io/storage-class"]]?.string ?? ""
    }

    /// An Available (unclaimed) volume that fits the claim in every respect.
    public static func matches(_ claim: JSON, _ pv: JSON) -> Bool {
        guard pv[path: ["spec", "claimRef"]] == nil || pv[path: ["spec", "claimRef"]]?.isNull == true,
              pv[path: ["metadata", "deletionTimestamp"]] == nil,
              (pv[path: ["status", "phase"]]?.string ?? "Available") == "Available" else { return false }
        guard (pv[path: ["spec", "storageClassName"]]?.string ?? "") == className(claim) else { return false }
        guard (pv[path: ["spec", "volumeMode"]]?.string ?? "Filesystem") == (claim[path: ["spec", "volumeMode"]]?.string ?? "Filesystem") else { return false }
        guard accessModes(claim).isSubset(of: accessModes(pv)) else { return false }
        guard capacityBytes(pv) >= requestedBytes(claim) else { return false }
        if let sel = claim[path: ["spec", "selector"]], !sel.isNull {
            guard let selector = try? LabelSelector(json: sel),
                  selector.matches((pv["metadata"] ?? [:]).stringMap("labels")) else { return false }
        }
        return true
    }

    public static func best(for claim: JSON, among volumes: [JSON]) -> JSON? {
        volumes.filter { matches(claim, $0) }.min { capacityBytes($0) < capacityBytes($1) }
    }
}
