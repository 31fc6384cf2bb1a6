import KubeAPI

/// Kubernetes' Priority admission. A new pod gets the value (and preemption policy) of the
/// PriorityClass it names, or of the cluster's global default when it names none; naming a class
/// that does not exist, or giving a priority the class does not, is refused. For PriorityClasses
/// themselves: only one may be the global default.
public struct PriorityAdmission: AdmissionPlugin {
    static let classes = ResourceCatalog.lookup(group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses")!

    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        let r = request.resource
        if r == Self.classes, request.operation == .create || request.operation == .update {
            if request.operation == .update, let old = request.old, old["value"] != object["value"] {
                throw StatusError.invalid(kind: r.kind, group: r.group, name: request.name,
                                          causes: [.forbidden("value", "may not be changed in an update.")])
            }
            try checkSingleDefault(request, object, store: store)
            return
        }
        guard request.operation == .create, request.subresource == nil, r.group.isEmpty, r.resource == "pods" else { return }
        _ = await store.cache.wait(for: store.lastAcknowledged(Self.classes), timeout: .seconds(2))
        let all = store.cache.list(WatchFilter(resource: Self.classes, namespace: nil, labels: nil, fields: nil)).items.map(\.json)
        let named = object[path: ["spec", "priorityClassName"]]?.string ?? ""
        let chosen: JSON?
        if named.isEmpty {
            chosen = PriorityClasses.globalDefault(all)
        } else {
            guard let found = all.first(where: { $0[path: ["metadata", "name"]]?.string == named }) else {
                throw request.forbidden("no PriorityClass with name \(named) was found")
            }
            chosen = found
        }
        let value = chosen?["value"]?.int ?? 0
        let given = object[path: ["spec", "priority"]]?.int
        // A priority the pod set itself must agree (the default 0 of a pod naming no class is replaced).
        if let given, given != value, !(named.isEmpty && given == 0) {
            throw request.forbidden("the integer value of priority (\(given)) must not be provided in pod spec; priority admission controller computed \(value) from the given PriorityClass name")
        }
        object[path: ["spec", "priority"]] = .int(value)
        if let chosen {
            object[path: ["spec", "priorityClassName"]] = chosen["metadata"]?["name"] ?? .string(named)
            let policy = chosen["preemptionPolicy"]?.string ?? "PreemptLowerPriority"
            if let asked = object[path: ["spec", "preemptionPolicy"]]?.string, asked != policy {
                throw request.forbidden("the string value of PreemptionPolicy (\(asked)) must not be provided in pod spec; priority admission controller computed \(policy) from the given PriorityClass name")
            }
            object[path: ["spec", "preemptionPolicy"]] = .string(policy)
        }
    }

    func checkSingleDefault(_ request: AdmissionRequest, _ object: JSON, store: ObjectStore) throws {
        guard object["globalDefault"]?.bool == true else { return }
        let all = store.cache.list(WatchFilter(resource: Self.classes, namespace: nil, labels: nil, fields: nil)).items.map(\.json)
        let name = object[path: ["metadata", "name"]]?.string ?? ""
        if let other = all.first(where: { $0["globalDefault"]?.bool == true && $0[path: ["metadata", "name"]]?.string != name }) {
            throw request.forbidden("PriorityClass \(other[path: ["metadata", "name"]]?.string ?? "") is already marked as default. Only one default can exist")
        }
    }
}

/// The two classes every cluster has, and the rules for the others. Pure.
public enum PriorityClasses {
    public static let highestUserDefinable: Int64 = 1_000_000_000
    public static let system: [(name: String, value: Int64, description: String)] = [
        ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
        ("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ]

    public static var systemObjects: [JSON] {
        system.map { c in
            .object(JSONObject([
                ("apiVersion", "scheduling.k8s.io/v1"), ("kind", "PriorityClass"),
                ("metadata", .object(JSONObject([("name", .string(c.name))]))),
                ("value", .int(c.value)), ("description", .string(c.description)),
                ("preemptionPolicy", "PreemptLowerPriority"),
            ]))
        }
    }

    /// The global default: the one marked so (the oldest if, racing, several are).
    static func globalDefault(_ all: [JSON]) -> JSON? {
        all.filter { $0["globalDefault"]?.bool == true }
            .min { ($0[path: ["metadata", "creationTimestamp"]]?.string ?? "") < ($1[path: ["metadata", "creationTimestamp"]]?.string ?? "") }
    }

    public static func validate(_ obj: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let name = obj[path: ["metadata", "name"]]?.string ?? ""
        guard let value = obj["value"]?.int else { return [.required("value")] }
        if name.hasPrefix("system-") {
            if let builtin = system.first(where: { $0.name == name }) {
                if builtin.value != value {
                    errs.append(.invalid("metadata.name", .string(name), "the value of the priority class \(name) must be \(builtin.value)"))
                }
            } else {
                errs.append(.invalid("metadata.name", .string(name), "priority class names with 'system-' prefix are reserved for system use only"))
            }
        } else if value > highestUserDefinable {
            errs.append(.forbidden("value", "maximum allowed value of a user defined priority is \(highestUserDefinable)"))
        }
        if let policy = obj["preemptionPolicy"]?.string, policy != "PreemptLowerPriority", policy != "Never" {
            errs.append(.notSupported("preemptionPolicy", .string(policy), ["Never", "PreemptLowerPriority"]))
        }
        return errs
    }
}
