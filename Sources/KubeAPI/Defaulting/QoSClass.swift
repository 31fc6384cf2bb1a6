/// The pod's quality-of-service class, computed from cpu and memory requests and limits of all
/// containers as Kubernetes' `GetPodQOS` does.
public enum QoSClass: String, Sendable {
    case guaranteed = "Guaranteed"
    case burstable = "Burstable"
    case bestEffort = "BestEffort"

    static let computeResources = ["cpu", "memory"]

    public static func of(spec: JSON) -> QoSClass {
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        var guaranteed = true
        let containers = (spec["initContainers"]?.array ?? []) + (spec["containers"]?.array ?? [])
        for c in containers {
            for r in computeResources {
                if let q = quantity(c, "requests", r), !q.isZero { requests[r, default: .zero] += q }
            }
            var limitsFound = Set<String>()
            for r in computeResources {
                if let q = quantity(c, "limits", r), !q.isZero {
                    limits[r, default: .zero] += q
                    limitsFound.insert(r)
                }
            }
            if limitsFound.count != computeResources.count { guaranteed = false }
        }
        if requests.isEmpty && limits.isEmpty { return .bestEffort }
        if guaranteed && requests.count == limits.count && requests.allSatisfy({ limits[$0.key] == $0.value }) {
            return .guaranteed
        }
        return .burstable
    }

    private static func quantity(_ c: JSON, _ kind: String, _ resource: String) -> Quantity? {
        c[path: ["resources", kind, resource]].flatMap { try? Quantity(json: $0) }
    }
}
