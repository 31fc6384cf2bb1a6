import KubeAPI

/// Kubernetes' DefaultTolerationSeconds admission: a new pod that does not say how long it
/// tolerates its node being not-ready or unreachable gets 300 s for each, after which the node
/// lifecycle controller evicts it from a lost node.
public struct DefaultTolerationSeconds: AdmissionPlugin {
    public static let taints = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
    public var seconds: Int64

    public init(seconds: Int64 = 300) { self.seconds = seconds }

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        guard request.operation == .create, request.isPodSpecWrite else { return }
        var tolerations = object[path: ["spec", "tolerations"]]?.array ?? []
        for key in Self.taints where !tolerations.contains(where: { Self.covers($0, key) }) {
            tolerations.append(.object(JSONObject([("key", .string(key)), ("operator", "Exists"), ("effect", "NoExecute"),
                                                   ("tolerationSeconds", .int(seconds))])))
        }
        object[path: ["spec", "tolerations"]] = .array(tolerations)
    }

    /// Whether a toleration already says something about NoExecute taints of `key`.
    static func covers(_ t: JSON, _ key: String) -> Bool {
        let k = t["key"]?.string ?? ""
        let effect = t["effect"]?.string ?? ""
        return (k == key || (k.isEmpty && t["operator"]?.string == "Exists")) && (effect.isEmpty || effect == "NoExecute")
    }
}
