/// What the client asked to get back, from its Accept header.
struct Negotiation: Sendable {
    var table = false
    var aggregatedDiscovery: String?

    init(accept: String?) {
        let a = accept ?? ""
        table = a.contains("as=Table")
        // Aggregated discovery when offered, v2 in preference to v2beta1.
        if a.contains("as=APIGroupDiscoveryList") {
            aggregatedDiscovery = a.contains("v=v2;") ? "v2" : "v2beta1"
        }
    }
}
