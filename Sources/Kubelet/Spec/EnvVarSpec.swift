import KubeAPI

/// One `env` entry: a literal value (which may reference earlier variables) or a reference.
public struct EnvVarSpec: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case value(String)
        case fieldRef(fieldPath: String)
        case resourceFieldRef(containerName: String?, resource: String, divisor: Quantity?)
        case configMapKeyRef(name: String, key: String, optional: Bool)
        case secretKeyRef(name: String, key: String, optional: Bool)
    }

    public var name: String
    public var source: Source

    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    init(json: JSON) {
        name = json.string("name") ?? ""
        let from = json["valueFrom"] ?? [:]
        if let ref = from["fieldRef"], ref.object != nil {
            source = .fieldRef(fieldPath: ref.string("fieldPath") ?? "")
        } else if let ref = from["resourceFieldRef"], ref.object != nil {
            source = .resourceFieldRef(
                containerName: ref.string("containerName").flatMap { $0.isEmpty ? nil : $0 },
                resource: ref.string("resource") ?? "",
                divisor: ref["divisor"].flatMap { try? Quantity(json: $0) })
        } else if let ref = from["configMapKeyRef"], ref.object != nil {
            source = .configMapKeyRef(name: ref.string("name") ?? "", key: ref.string("key") ?? "", optional: ref.bool("optional"))
        } else if let ref = from["secretKeyRef"], ref.object != nil {
            source = .secretKeyRef(name: ref.string("name") ?? "", key: ref.string("key") ?? "", optional: ref.bool("optional"))
        } else {
            source = .value(json.string("value") ?? "")
        }
    }
}

/// One `envFrom` entry: every key of a ConfigMap or Secret, optionally prefixed.
public struct EnvFromSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case configMap, secret }
    public var kind: Kind
    public var name: String
    public var prefix: String
    public var optional: Bool

    public init(kind: Kind, name: String, prefix: String = "", optional: Bool = false) {
        self.kind = kind
        self.name = name
        self.prefix = prefix
        self.optional = optional
    }

    init?(json: JSON) {
        let prefix = json.string("prefix") ?? ""
        if let ref = json["configMapRef"], ref.object != nil {
            self.init(kind: .configMap, name: ref.string("name") ?? "", prefix: prefix, optional: ref.bool("optional"))
        } else if let ref = json["secretRef"], ref.object != nil {
            self.init(kind: .secret, name: ref.string("name") ?? "", prefix: prefix, optional: ref.bool("optional"))
        } else {
            return nil
        }
    }
}
