extension PodValidation {
    static let updatableFields = [
        "`spec.containers[*].image`", "`spec.initContainers[*].image`", "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ]

    /// `ValidatePodUpdate`: the new pod must be valid, keep its identity, and change only the
    /// few mutable spec fields.
    public static func validateUpdate(new: JSON, old: JSON) -> [FieldError] {
        var errs = validate(pod: new)
        for f in ["name", "namespace"] {
            let n = new["metadata"]?[f] ?? .string(""), o = old["metadata"]?[f] ?? .string("")
            if n != o { errs.append(.invalid("metadata.\(f)", n, "field is immutable")) }
        }
        let oldSpec = old["spec"] ?? .object(JSONObject())
        var munged = new["spec"] ?? .object(JSONObject())
        for field in ["containers", "initContainers"] {
            guard var items = munged[field]?.array, let oldItems = oldSpec[field]?.array, items.count == oldItems.count else { continue }
            for i in items.indices { items[i]["image"] = oldItems[i]["image"] }
            munged[field] = .array(items)
        }
        munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"]
        munged["terminationGracePeriodSeconds"] = oldSpec["terminationGracePeriodSeconds"]
        let oldTolerations = oldSpec["tolerations"]?.array ?? []
        let newTolerations = munged["tolerations"]?.array ?? []
        if oldTolerations.allSatisfy({ t in newTolerations.contains { $0.sameValue(as: t) } }) {
            munged["tolerations"] = oldSpec["tolerations"]
        }
        if !munged.sameValue(as: oldSpec) {
            let keys = Set((munged.object?.keys ?? []) + (oldSpec.object?.keys ?? []))
            let changed = keys.filter { !same(munged[$0], oldSpec[$0]) }.sorted().map { "spec.\($0)" }
                .joined(separator: ", ")
            errs.append(.forbidden("spec",
                "pod updates may not change fields other than \(updatableFields.joined(separator: ","))\nchanged: \(changed)"))
        }
        return errs
    }

    private static func same(_ a: JSON?, _ b: JSON?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.sameValue(as: b)
    }
}
