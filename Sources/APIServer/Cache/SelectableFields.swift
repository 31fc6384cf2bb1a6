import KubeAPI

/// The fields each kind supports in field selectors, as Kubernetes defines them per kind.
public enum SelectableFields {
    static let byResource: [String: [String]] = [
        "pods": ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                 "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        "events": ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                   "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                   "reason", "reportingComponent", "source", "type"],
        "secrets": ["type"],
        "namespaces": ["status.phase"],
        "nodes": ["spec.unschedulable"],
        "persistentvolumeclaims": ["status.phase"],
        "persistentvolumes": ["status.phase"],
    ]

    public static func supported(_ resource: ResourceInfo) -> [String] {
        ["metadata.name", "metadata.namespace"] + (byResource[resource.resource] ?? [])
    }

    public static func fields(of obj: JSON, resource: ResourceInfo) -> [String: String] {
        var f: [String: String] = [
            "metadata.name": obj[path: ["metadata", "name"]]?.string ?? "",
            "metadata.namespace": obj[path: ["metadata", "namespace"]]?.string ?? "",
        ]
        for path in byResource[resource.resource] ?? [] {
            if path == "source" {
                f[path] = obj[path: ["source", "component"]]?.string ?? obj["reportingComponent"]?.string ?? ""
                continue
            }
            let v = obj[path: path.split(separator: ".").map(String.init)]
            switch v {
            case .string(let s)?: f[path] = s
            case .bool(let b)?: f[path] = b ? "true" : "false"
            case .int(let i)?: f[path] = String(i)
            default: f[path] = path == "spec.unschedulable" || path == "spec.hostNetwork" ? "false" : ""
            }
        }
        return f
    }
}
