/// What the client asked to get back, from its Accept header.
struct Negotiation: Sendable {
    var table = false
    var aggregatedDiscovery: String?

    init(accept: String?) {
        let a = accept ?? ""
        table = a.contains("as=Table")
        if a.contains("as=APIGroupDiscoveryList") {
            aggregatedDiscovery = a.contains("v=v2;") || a.contains("v=v2,") || a.hasSuffix("v=v2") ? "v2" : "v2beta1"
            // Prefer v2 when offered at all.
            if a.contains("v=v2;as=") || a.range(of: "v=v2;") != nil { aggregatedDiscovery = "v2" }
        }
    }
}
