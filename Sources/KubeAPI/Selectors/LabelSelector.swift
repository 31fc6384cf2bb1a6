/// A label selector: the AND of its requirements. Parsed from the query-string syntax
/// (`labelSelector=`) or from a `LabelSelector` object in a spec.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    public private(set) var requirements: [LabelRequirement]
    /// A null selector object selects nothing, unlike an empty one, which selects everything.
    public private(set) var matchesNothing: Bool

    public init(requirements: [LabelRequirement]) {
        self.requirements = requirements.sorted { $0.key < $1.key }
        self.matchesNothing = false
    }

    public static let everything = LabelSelector(requirements: [])
    public static let nothing: LabelSelector = {
        var s = LabelSelector(requirements: [])
        s.matchesNothing = true
        return s
    }()

    public var isEverything: Bool { !matchesNothing && requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        !matchesNothing && requirements.allSatisfy { $0.matches(labels) }
    }

    /// Labels of a JSON `metadata.labels` object; non-string values are ignored.
    public func matches(labels json: JSON?) -> Bool {
        var labels: [String: String] = [:]
        for (k, v) in json?.object ?? JSONObject() { if let s = v.string { labels[k] = s } }
        return matches(labels)
    }

    public var description: String { requirements.map(\.description).joined(separator: ",") }
}
