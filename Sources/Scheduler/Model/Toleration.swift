import KubeAPI

/// A pod toleration; matching follows `ToleratesTaint` upstream.
public struct Toleration: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable {
        case equal = "Equal"
        case exists = "Exists"
    }

    /// Empty means every key (only with Exists).
    public var key: String
    public var op: Operator
    public var value: String
    /// Nil means every effect.
    public var effect: Taint.Effect?

    public init(key: String = "", op: Operator = .equal, value: String = "", effect: Taint.Effect? = nil) {
        self.key = key
        self.op = op
        self.value = value
        self.effect = effect
    }

    init?(json: JSON) {
        let opText = json.string("operator") ?? ""
        guard let op = opText.isEmpty ? .equal : Operator(rawValue: opText) else { return nil }
        let effectText = json.string("effect") ?? ""
        let effect = effectText.isEmpty ? nil : Taint.Effect(rawValue: effectText)
        if !effectText.isEmpty && effect == nil { return nil }
        self.init(key: json.string("key") ?? "", op: op, value: json.string("value") ?? "", effect: effect)
    }

    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch op {
        case .exists: return true
        case .equal: return value == taint.value
        }
    }

    /// Only tolerations that can match PreferNoSchedule taints matter for scoring.
    var appliesToPreferNoSchedule: Bool { effect == nil || effect == .preferNoSchedule }
}

extension Array where Element == Toleration {
    func tolerate(_ taint: Taint) -> Bool { contains { $0.tolerates(taint) } }
}
