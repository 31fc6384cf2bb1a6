import KubeAPI
import Synchronization

/// What the scheduler knows about storage: claims, volumes, classes' binding modes, and which
/// scheduled pods use which claim. Shared between the scheduler actor, which feeds it from its
/// watches, and the VolumeBinding plugin, which reads it.
public final class VolumeState: Sendable {
    public struct Claim: Sendable, Equatable {
        public var phase: String
        public var volumeName: String
        public var className: String
        public var accessModes: Set<String>
        public var selectedNode: String?
        public var isDeleted: Bool
    }

    struct Contents {
        var claims: [String: Claim] = [:]                 // namespace/name
        var volumeTerms: [String: [NodeSelectorTerm]] = [:]
        var lateBindingClasses: Set<String> = []
        var users: [String: Set<String>] = [:]            // claim key -> uids of scheduled pods
        var podClaims: [String: [String]] = [:]           // uid -> claim keys
    }

    private let contents = Mutex(Contents())

    public init() {}

    static func key(_ ns: String, _ name: String) -> String { "\(ns)/\(name)" }

    func claim(_ ns: String, _ name: String) -> Claim? { contents.withLock { $0.claims[Self.key(ns, name)] } }
    func nodeTerms(ofVolume name: String) -> [NodeSelectorTerm]? { contents.withLock { $0.volumeTerms[name] } }
    func isLateBinding(_ className: String) -> Bool { contents.withLock { $0.lateBindingClasses.contains(className) } }
    func users(_ ns: String, _ name: String) -> Set<String> { contents.withLock { $0.users[Self.key(ns, name)] ?? [] } }

    func upsertClaim(_ o: JSON) {
        let meta = o["metadata"] ?? [:]
        let c = Claim(phase: o[path: ["status", "phase"]]?.string ?? "Pending",
                      volumeName: o[path: ["spec", "volumeName"]]?.string ?? "",
                      className: o[path: ["spec", "storageClassName"]]?.string ?? "",
                      accessModes: Set(o[path: ["spec", "accessModes"]]?.array?.compactMap(\.string) ?? []),
                      selectedNode: meta.stringMap("annotations")["volume.kubernetes.io/selected-node"],
                      isDeleted: meta["deletionTimestamp"].map { !$0.isNull } ?? false)
        contents.withLock { $0.claims[Self.key(meta.string("namespace") ?? "default", meta.string("name") ?? "")] = c }
    }

    func removeClaim(_ o: JSON) {
        let meta = o["metadata"] ?? [:]
        _ = contents.withLock { $0.claims.removeValue(forKey: Self.key(meta.string("namespace") ?? "default", meta.string("name") ?? "")) }
    }

    func upsertVolume(_ o: JSON) {
        let name = o[path: ["metadata", "name"]]?.string ?? ""
        let terms = NodeSelectorTerm.required(ofVolume: o)
        contents.withLock { $0.volumeTerms[name] = terms ?? [] }
    }

    func removeVolume(_ o: JSON) {
        _ = contents.withLock { $0.volumeTerms.removeValue(forKey: o[path: ["metadata", "name"]]?.string ?? "") }
    }

    func upsertClass(_ o: JSON) {
        let name = o[path: ["metadata", "name"]]?.string ?? ""
        let late = o["volumeBindingMode"]?.string == "WaitForFirstConsumer"
        contents.withLock { if late { $0.lateBindingClasses.insert(name) } else { $0.lateBindingClasses.remove(name) } }
    }

    func removeClass(_ o: JSON) {
        _ = contents.withLock { $0.lateBindingClasses.remove(o[path: ["metadata", "name"]]?.string ?? "") }
    }

    func replace(claims: [JSON]? = nil, volumes: [JSON]? = nil, classes: [JSON]? = nil) {
        if let claims { contents.withLock { $0.claims = [:] }; claims.forEach(upsertClaim) }
        if let volumes { contents.withLock { $0.volumeTerms = [:] }; volumes.forEach(upsertVolume) }
        if let classes { contents.withLock { $0.lateBindingClasses = [] }; classes.forEach(upsertClass) }
    }

    /// A pod scheduled (or assumed) on a node now uses its claims; nil claims: it stopped.
    func setPodClaims(uid: String, namespace: String, claims: [String]?) {
        contents.withLock { c in
            for key in c.podClaims[uid] ?? [] { c.users[key]?.remove(uid) }
            c.podClaims[uid] = nil
            guard let claims, !claims.isEmpty else { return }
            let keys = claims.map { Self.key(namespace, $0) }
            c.podClaims[uid] = keys
            for key in keys { c.users[key, default: []].insert(uid) }
        }
    }
}
