import KubeAPI

/// A node taint (`key=value:Effect`).
public struct Taint: Sendable, Hashable {
    public enum Effect: String, Sendable, Hashable {
        case noSchedule = "NoSchedule"
        case preferNoSchedule = "PreferNoSchedule"
        case noExecute = "NoExecute"
    }

    public var key: String
    public var value: String
    public var effect: Effect

    public init(key: String, value: String = "", effect: Effect) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    init?(json: JSON) {
        guard let key = json.string("key"), let effect = json.string("effect").flatMap(Effect.init(rawValue:)) else { return nil }
        self.init(key: key, value: json.string("value") ?? "", effect: effect)
    }

    /// Taints that keep new pods away; PreferNoSchedule only lowers the score.
    var blocksScheduling: Bool { effect != .preferNoSchedule }

    public static let unschedulableKey = "node.kubernetes.io/unschedulable"
    public static let notReadyKey = "node.kubernetes.io/not-ready"
    public static let unreachableKey = "node.kubernetes.io/unreachable"
}
