import KubeAPI

/// The strategy for each resource; kinds without special rules get the generic one.
struct StrategyCatalog: Sendable {
    func strategy(for r: ResourceInfo) -> any KindStrategy {
        switch r.resource {
        case "pods": return PodStrategy()
        case "namespaces": return NamespaceStrategy()
        case "secrets": return SecretStrategy()
        case "certificatesigningrequests": return CertificateSigningRequestStrategy()
        default: return GenericStrategy(resource: r)
        }
    }
}

struct GenericStrategy: KindStrategy {
    var resource: ResourceInfo

    func prepareForCreate(_ obj: inout JSON, clock: WallClock) {
        KindDefaults.apply(to: &obj, resource: resource)
    }

    func validate(_ obj: JSON) -> [FieldError] { KindValidation.validate(obj, resource: resource) }

    func validateUpdate(_ new: JSON, old: JSON, subresource: String?) -> [FieldError] {
        let immutable = resource.resource == "nodes" ? NodeValidation.validateUpdate(new: new, old: old) : []
        return validate(new) + immutable
    }
}

struct PodStrategy: KindStrategy {
    func prepareForCreate(_ obj: inout JSON, clock: WallClock) {
        // A new pod's status is the server's to set, whatever the client sent.
        obj["status"] = nil
        PodDefaults.apply(to: &obj)
    }

    func validate(_ obj: JSON) -> [FieldError] { PodValidation.validate(pod: obj) }

    func validateUpdate(_ new: JSON, old: JSON, subresource: String?) -> [FieldError] {
        // Binding sets spec.nodeName and status carries no spec change: neither is a pod update.
        if subresource != nil { return PodValidation.validate(pod: new) }
        return PodValidation.validate(pod: new) + PodValidation.validateUpdate(new: new, old: old)
    }

    func gracePeriod(_ obj: JSON, requested: Int64?) -> Int64 {
        // A pod that never reached a node, or has finished, has nothing to stop.
        if (obj[path: ["spec", "nodeName"]]?.string ?? "").isEmpty { return 0 }
        if let phase = obj[path: ["status", "phase"]]?.string, phase == "Succeeded" || phase == "Failed" { return 0 }
        if let r = requested { return max(0, r) }
        return obj[path: ["spec", "terminationGracePeriodSeconds"]]?.int ?? 30
    }
}

struct NamespaceStrategy: KindStrategy {
    func prepareForCreate(_ obj: inout JSON, clock: WallClock) {
        obj["spec"] = nil
        obj["status"] = nil
        NamespaceDefaults.apply(to: &obj)
    }

    func prepareForUpdate(_ new: inout JSON, old: JSON, subresource: String?) {
        switch subresource {
        case "status":
            var kept = old
            kept["status"] = new["status"]
            new = kept
        case "finalize":
            var kept = old
            kept[path: ["spec", "finalizers"]] = new[path: ["spec", "finalizers"]]
            new = kept
        default:
            new["status"] = old["status"]
            new["spec"] = old["spec"]
        }
        let name = old[path: ["metadata", "name"]]?.string ?? ""
        new[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
    }

    func validate(_ obj: JSON) -> [FieldError] {
        KindValidation.validate(obj, resource: ResourceCatalog.lookup(group: "", version: "v1", resource: "namespaces")!)
    }
}

struct SecretStrategy: KindStrategy {
    func prepareForCreate(_ obj: inout JSON, clock: WallClock) {
        Self.foldStringData(&obj)
        if obj["type"]?.string == "" { obj["type"] = nil }
        KindDefaults.apply(to: &obj, resource: ResourceCatalog.lookup(group: "", version: "v1", resource: "secrets")!)
    }

    func prepareForUpdate(_ new: inout JSON, old: JSON, subresource: String?) {
        Self.foldStringData(&new)
        if new["type"] == nil { new["type"] = old["type"] }
    }

    /// stringData is write-only: its entries replace those in data, base64-encoded.
    static func foldStringData(_ obj: inout JSON) {
        guard let sd = obj["stringData"]?.object else { obj["stringData"] = nil; return }
        var data = obj["data"]?.object ?? JSONObject()
        for (k, v) in sd { data[k] = .string(Base64.encode(Array((v.string ?? "").utf8))) }
        obj["data"] = .object(data)
        obj["stringData"] = nil
    }

    func validate(_ obj: JSON) -> [FieldError] {
        KindValidation.validate(obj, resource: ResourceCatalog.lookup(group: "", version: "v1", resource: "secrets")!)
    }
}
