/// A pod's effective requests and limits per resource, as quota and LimitRange count them:
/// app containers (and restartable init containers) add up, ordinary init containers run one
/// at a time so the pod needs the largest, and overhead comes on top.
public struct PodResourceTotals: Sendable, Equatable {
    public var requests: [String: Quantity]
    public var limits: [String: Quantity]

    public init(spec: JSON) {
        requests = Self.total(spec, "requests")
        limits = Self.total(spec, "limits")
    }

    static func total(_ spec: JSON, _ kind: String) -> [String: Quantity] {
        func list(_ c: JSON) -> [String: Quantity] { c["resources"]?.quantities(kind) ?? [:] }
        var sidecars: [String: Quantity] = [:]
        var initPeak: [String: Quantity] = [:]
        for c in spec.objects("initContainers") {
            if c.string("restartPolicy") == "Always" {
                sidecars = add(sidecars, list(c))
                initPeak = maximum(initPeak, sidecars)
            } else {
                initPeak = maximum(initPeak, add(list(c), sidecars))
            }
        }
        var apps = sidecars
        for c in spec.objects("containers") { apps = add(apps, list(c)) }
        return add(maximum(apps, initPeak), spec.quantities("overhead"))
    }

    static func add(_ a: [String: Quantity], _ b: [String: Quantity]) -> [String: Quantity] {
        a.merging(b) { $0 + $1 }
    }

    static func maximum(_ a: [String: Quantity], _ b: [String: Quantity]) -> [String: Quantity] {
        a.merging(b) { Swift.max($0, $1) }
    }
}
