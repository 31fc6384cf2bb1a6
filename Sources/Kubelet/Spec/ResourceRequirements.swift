import KubeAPI

public struct ResourceRequirements: Sendable, Equatable {
    public var requests: [String: Quantity]
    public var limits: [String: Quantity]

    public init(requests: [String: Quantity] = [:], limits: [String: Quantity] = [:]) {
        self.requests = requests
        self.limits = limits
    }

    init(json: JSON) {
        limits = json.quantities("limits")
        // A limit without a request is also the request (API defaulting; repeated for raw specs).
        requests = json.quantities("requests").merging(limits) { request, _ in request }
    }
}
