import KubeAPI

/// Rewrites values into the canonical form Kubernetes stores (quantities such as `1000m` → `1`).
enum Normalizer {
    static func canonicalize(_ obj: inout JSON, resource r: ResourceInfo) throws {
        guard let def = r.definition else { return }
        do {
            try Quantity.canonicalizeFields(in: &obj, definition: def, schema: .shared)
        } catch {
            let name = obj[path: ["metadata", "name"]]?.string ?? ""
            throw StatusError.invalid(kind: r.kind, group: r.group, name: name, causes: [
                .invalid(error.field, .string(""), error.error.description),
            ])
        }
    }
}
