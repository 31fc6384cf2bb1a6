/// One `nodeSelectorTerms` entry (a pod's node affinity, a volume's), compiled once: its
/// requirements are ANDed.
/// An empty term matches no node, as upstream.
public struct NodeSelectorTerm: Sendable, Hashable {
    public struct Requirement: Sendable, Hashable {
        public enum Operator: Sendable, Hashable {
            case `in`(Set<String>)
            case notIn(Set<String>)
            case exists
            case doesNotExist
            case greaterThan(Int64)
            case lessThan(Int64)
            /// Malformed (e.g. Gt with a non-integer); matches nothing.
            case invalid
        }

        public var key: String
        public var op: Operator

        public init(key: String, op: Operator) {
            self.key = key
            self.op = op
        }

        public init(json: JSON) {
            key = json.string("key") ?? ""
            let values = json.strings("values")
            switch json.string("operator") ?? "" {
            case "In": op = .in(Set(values))
            case "NotIn": op = .notIn(Set(values))
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            case "Gt": op = values.count == 1 ? Int64(values[0]).map(Operator.greaterThan) ?? .invalid : .invalid
            case "Lt": op = values.count == 1 ? Int64(values[0]).map(Operator.lessThan) ?? .invalid : .invalid
            default: op = .invalid
            }
        }

        public func matches(_ value: String?) -> Bool {
            switch op {
            case .in(let set): return value.map(set.contains) ?? false
            case .notIn(let set): return value.map { !set.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan(let bound): return value.flatMap { Int64($0) }.map { $0 > bound } ?? false
            case .lessThan(let bound): return value.flatMap { Int64($0) }.map { $0 < bound } ?? false
            case .invalid: return false
            }
        }
    }

    public var matchExpressions: [Requirement]
    /// Only `metadata.name` is a supported field; other keys make the term match nothing.
    public var matchFields: [Requirement]

    public init(matchExpressions: [Requirement] = [], matchFields: [Requirement] = []) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }

    public init(json: JSON) {
        matchExpressions = json.objects("matchExpressions").map(Requirement.init(json:))
        matchFields = json.objects("matchFields").map(Requirement.init(json:))
    }

    public func matches(name: String, labels: [String: String]) -> Bool {
        if matchExpressions.isEmpty && matchFields.isEmpty { return false }
        for r in matchExpressions where !r.matches(labels[r.key]) { return false }
        for r in matchFields {
            guard r.key == "metadata.name" else { return false }
            if !r.matches(name) { return false }
        }
        return true
    }
}

extension NodeSelectorTerm {
    /// A PersistentVolume's `spec.nodeAffinity.required` terms; nil when it has none (any node).
    public static func required(ofVolume pv: JSON) -> [NodeSelectorTerm]? {
        pv[path: ["spec", "nodeAffinity", "required"]].map { $0.objects("nodeSelectorTerms").map(NodeSelectorTerm.init(json:)) }
    }
}
