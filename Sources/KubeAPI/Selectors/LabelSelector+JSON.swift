extension LabelSelector {
    /// Converts a `LabelSelector` object (`matchLabels`, `matchExpressions`) as
    /// `metav1.LabelSelectorAsSelector` does: null selects nothing, `{}` selects everything.
    public init(json: JSON?) throws(SelectorError) {
        guard let json, !json.isNull else {
            self = .nothing
            return
        }
        var reqs: [LabelRequirement] = []
        for (k, v) in json["matchLabels"]?.object ?? JSONObject() {
            reqs.append(try LabelRequirement(key: k, op: .equals, values: [v.string ?? ""]))
        }
        for expr in json["matchExpressions"]?.array ?? [] {
            let name = expr["operator"]?.string ?? ""
            let op: LabelRequirement.Operator
            switch name {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            default: throw SelectorError("\"\(name)\" is not a valid label selector operator")
            }
            let values = (expr["values"]?.array ?? []).compactMap(\.string)
            reqs.append(try LabelRequirement(key: expr["key"]?.string ?? "", op: op, values: values))
        }
        self.init(requirements: reqs)
    }
}
