import KubeAPI

/// What an object counts against a ResourceQuota's `hard` keys (Kubernetes' quota evaluators for
/// pods, PVCs and object counts). Pure.
public enum QuotaUsage {
    /// Resources whose plain name is an object count (`pods`, `configmaps`, ...).
    static let countedByName: Set<String> = ["pods", "configmaps", "secrets", "persistentvolumeclaims", "services",
                                             "replicationcontrollers", "resourcequotas"]
    static let computeKeys: [String: (limits: Bool, resource: String)] = [
        "cpu": (false, "cpu"), "requests.cpu": (false, "cpu"), "limits.cpu": (true, "cpu"),
        "memory": (false, "memory"), "requests.memory": (false, "memory"), "limits.memory": (true, "memory"),
        "ephemeral-storage": (false, "ephemeral-storage"), "requests.ephemeral-storage": (false, "ephemeral-storage"),
        "limits.ephemeral-storage": (true, "ephemeral-storage"),
    ]

    /// Whether a pod still counts: Succeeded and Failed pods hold nothing.
    public static func counts(pod: JSON) -> Bool {
        let phase = pod[path: ["status", "phase"]]?.string
        return phase != "Succeeded" && phase != "Failed"
    }

    /// The amounts of the quota's keys that one object of `resource` uses.
    public static func usage(of object: JSON, resource: ResourceInfo, keys: some Collection<String>) -> [String: Quantity] {
        var out: [String: Quantity] = [:]
        let countKey = resource.group.isEmpty ? "count/\(resource.resource)" : "count/\(resource.resource).\(resource.group)"
        let isPod = resource.group.isEmpty && resource.resource == "pods"
        if isPod, !counts(pod: object) { return [:] }
        let totals = isPod ? PodResourceTotals(spec: object["spec"] ?? .null) : nil
        let pvcClass = object[path: ["spec", "storageClassName"]]?.string ?? ""
        let pvcStorage = object[path: ["spec", "resources", "requests", "storage"]].flatMap { try? Quantity(json: $0) } ?? .zero
        let isPVC = resource.group.isEmpty && resource.resource == "persistentvolumeclaims"
        for key in keys {
            if key == countKey || (resource.group.isEmpty && key == resource.resource && countedByName.contains(key)) {
                out[key] = Quantity(1)
            } else if let totals, let c = computeKeys[key] {
                out[key] = (c.limits ? totals.limits : totals.requests)[c.resource] ?? .zero
            } else if isPVC {
                if key == "requests.storage" { out[key] = pvcStorage }
                if !pvcClass.isEmpty {
                    let prefix = "\(pvcClass).storageclass.storage.k8s.io/"
                    if key == prefix + "requests.storage" { out[key] = pvcStorage }
                    if key == prefix + "persistentvolumeclaims" { out[key] = Quantity(1) }
                }
            }
        }
        return out
    }

    /// Containers that leave unset a compute resource the quota limits (`limits.cpu` → the
    /// container needs limits.cpu), as "limits.cpu for: a,b" phrases.
    public static func missing(pod: JSON, keys: some Collection<String>) -> [String] {
        let spec = pod["spec"] ?? .null
        let containers = spec.objects("initContainers") + spec.objects("containers")
        var out: [String] = []
        for key in keys.sorted() {
            guard let c = computeKeys[key] else { continue }
            let names = containers.filter { container in
                let r = container["resources"] ?? .null
                let set = c.limits ? r.quantities("limits") : r.quantities("requests").merging(r.quantities("limits")) { a, _ in a }
                return set[c.resource] == nil
            }.compactMap { $0.string("name") }
            if !names.isEmpty { out.append("\(key) for: \(names.joined(separator: ","))") }
        }
        return out
    }

    /// The keys on which adding `usage` to `used` goes past `hard`, sorted.
    public static func exceeded(_ usage: [String: Quantity], used: [String: Quantity], hard: [String: Quantity]) -> [String] {
        usage.keys.filter { k in hard[k].map { (used[k] ?? .zero) + usage[k]! > $0 } ?? false }.sorted()
    }

    /// `limits.cpu=2,requests.memory=1Gi`, keys sorted, as Kubernetes prints quota amounts.
    public static func render(_ amounts: [String: Quantity]) -> String {
        amounts.keys.sorted().map { "\($0)=\(amounts[$0]!.canonicalString)" }.joined(separator: ",")
    }
}
