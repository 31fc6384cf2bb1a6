import KubeAPI

/// A pod volume by source kind; the volume manager materialises it.
public struct VolumeSpec: Sendable, Equatable {
    public struct KeyToPath: Sendable, Equatable {
        public var key: String
        public var path: String
        public var mode: Int64?
    }

    public enum Source: Sendable, Equatable {
        case emptyDir(medium: String, sizeLimit: Quantity?)
        case hostPath(path: String, type: String)
        case configMap(name: String, items: [KeyToPath], defaultMode: Int64, optional: Bool)
        case secret(secretName: String, items: [KeyToPath], defaultMode: Int64, optional: Bool)
        case downwardAPI(JSON)
        case projected(JSON)
        case persistentVolumeClaim(claimName: String, readOnly: Bool)
        /// A source the kubelet core does not interpret (CSI, NFS, …); kept raw for the volume plugins.
        case other(JSON)
    }

    public var name: String
    public var source: Source

    init(json: JSON) {
        name = json.string("name") ?? ""
        func items(_ j: JSON) -> [KeyToPath] {
            j.objects("items").map { KeyToPath(key: $0.string("key") ?? "", path: $0.string("path") ?? "", mode: $0.int("mode")) }
        }
        if let e = json["emptyDir"], e.object != nil {
            source = .emptyDir(medium: e.string("medium") ?? "", sizeLimit: e["sizeLimit"].flatMap { try? Quantity(json: $0) })
        } else if let h = json["hostPath"], h.object != nil {
            source = .hostPath(path: h.string("path") ?? "", type: h.string("type") ?? "")
        } else if let c = json["configMap"], c.object != nil {
            source = .configMap(name: c.string("name") ?? "", items: items(c), defaultMode: c.int("defaultMode") ?? 0o644, optional: c.bool("optional"))
        } else if let s = json["secret"], s.object != nil {
            source = .secret(secretName: s.string("secretName") ?? "", items: items(s), defaultMode: s.int("defaultMode") ?? 0o644, optional: s.bool("optional"))
        } else if let d = json["downwardAPI"], d.object != nil {
            source = .downwardAPI(d)
        } else if let p = json["projected"], p.object != nil {
            source = .projected(p)
        } else if let p = json["persistentVolumeClaim"], p.object != nil {
            source = .persistentVolumeClaim(claimName: p.string("claimName") ?? "", readOnly: p.bool("readOnly"))
        } else {
            source = .other(json)
        }
    }
}

public struct VolumeMount: Sendable, Equatable {
    public var name: String
    public var mountPath: String
    public var subPath: String?
    public var readOnly: Bool
    public var mountPropagation: String?

    init(json: JSON) {
        name = json.string("name") ?? ""
        mountPath = json.string("mountPath") ?? ""
        subPath = json.string("subPath").flatMap { $0.isEmpty ? nil : $0 }
        readOnly = json.bool("readOnly")
        mountPropagation = json.string("mountPropagation")
    }
}
