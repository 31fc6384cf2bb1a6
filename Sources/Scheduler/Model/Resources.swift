import KubeAPI

/// Amounts of the resources the scheduler accounts for, as integers: cpu in millicores, the rest
/// in whole units (bytes, counts). Parsed once from quantities so per-node checks are arithmetic.
public struct Resources: Sendable, Hashable {
    public var milliCPU: Int64 = 0
    public var memory: Int64 = 0
    public var ephemeralStorage: Int64 = 0
    /// Extended resources, hugepages and other countable names; empty for most pods and nodes.
    public var scalars: [String: Int64] = [:]

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, scalars: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.scalars = scalars
    }

    public static let zero = Resources()

    /// Reads a resource list (`{"cpu": "500m", "memory": "1Gi"}`); `pods` is read separately.
    init(list: JSON?) {
        for (name, value) in list?.object ?? JSONObject() {
            guard let q = try? Quantity(json: value) else { continue }
            set(name, q)
        }
    }

    mutating func set(_ name: String, _ q: Quantity) {
        switch name {
        case "cpu": milliCPU = q.milliValue
        case "memory": memory = q.value
        case "ephemeral-storage": ephemeralStorage = q.value
        default: if Self.isScalar(name) { scalars[name] = q.value }
        }
    }

    /// Names counted as scalar resources upstream: extended (domain-qualified) and hugepages.
    static func isScalar(_ name: String) -> Bool {
        name.hasPrefix("hugepages-") || name.contains("/")
    }

    public static func + (a: Resources, b: Resources) -> Resources {
        var r = a
        r += b
        return r
    }

    public static func += (a: inout Resources, b: Resources) {
        a.milliCPU += b.milliCPU
        a.memory += b.memory
        a.ephemeralStorage += b.ephemeralStorage
        for (k, v) in b.scalars { a.scalars[k, default: 0] += v }
    }

    public static func -= (a: inout Resources, b: Resources) {
        a.milliCPU -= b.milliCPU
        a.memory -= b.memory
        a.ephemeralStorage -= b.ephemeralStorage
        for (k, v) in b.scalars {
            let left = a.scalars[k, default: 0] - v
            a.scalars[k] = left == 0 ? nil : left
        }
    }

    /// The larger of each dimension.
    func maximum(_ b: Resources) -> Resources {
        var r = Resources(milliCPU: max(milliCPU, b.milliCPU), memory: max(memory, b.memory),
                          ephemeralStorage: max(ephemeralStorage, b.ephemeralStorage), scalars: scalars)
        for (k, v) in b.scalars { r.scalars[k] = max(r.scalars[k] ?? 0, v) }
        return r
    }
}
