import KubeAPI

/// What a pod asks of a node (computePodResourceRequest and PodRequests upstream).
///
/// App containers run together, so their requests add up; init containers run one at a time
/// before them, so the pod needs the largest of those peaks. Restartable init containers
/// (sidecars) keep running, so they add to every later peak and to the app containers. Overhead
/// (the RuntimeClass cost) comes on top.
public struct PodRequests: Sendable, Hashable {
    /// The requests as written; drives fit and BalancedAllocation.
    public var requested: Resources
    /// The requests with cpu 100m and memory 200Mi for containers that name neither (scoring only,
    /// so best-effort pods still spread out).
    public var nonZero: Resources

    public static let defaultMilliCPU: Int64 = 100
    public static let defaultMemory: Int64 = 200 * 1024 * 1024

    public init(requested: Resources, nonZero: Resources) {
        self.requested = requested
        self.nonZero = nonZero
    }

    public init(spec: JSON) {
        let containers = spec.objects("containers").map(Self.containerRequests)
        let inits = spec.objects("initContainers").map { c in
            (requests: Self.containerRequests(c), sidecar: c.string("restartPolicy") == "Always")
        }
        let overhead = Resources(list: spec["overhead"])
        requested = Self.combine(containers.map(\.0), inits.map { ($0.requests.0, $0.sidecar) }) + overhead
        nonZero = Self.combine(containers.map(\.1), inits.map { ($0.requests.1, $0.sidecar) }) + overhead
    }

    /// (as written, with non-zero defaults) for one container.
    static func containerRequests(_ c: JSON) -> (Resources, Resources) {
        let resources = c["resources"]
        var requests = resources?["requests"]?.object ?? JSONObject()
        // A limit without a request is also the request (API defaulting; repeated for raw specs).
        for (k, v) in resources?["limits"]?.object ?? JSONObject() where requests[k] == nil { requests[k] = v }
        let r = Resources(list: .object(requests))
        var nonZero = r
        if requests["cpu"] == nil { nonZero.milliCPU = defaultMilliCPU }
        if requests["memory"] == nil { nonZero.memory = defaultMemory }
        return (r, nonZero)
    }

    static func combine(_ containers: [Resources], _ inits: [(Resources, Bool)]) -> Resources {
        var sidecars = Resources.zero
        var initPeak = Resources.zero
        for (r, isSidecar) in inits {
            if isSidecar {
                sidecars += r
                initPeak = initPeak.maximum(sidecars)
            } else {
                initPeak = initPeak.maximum(r + sidecars)
            }
        }
        var apps = sidecars
        for r in containers { apps += r }
        return apps.maximum(initPeak)
    }
}
