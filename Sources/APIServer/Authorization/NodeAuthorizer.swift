import KubeAPI

/// What a kubelet (`system:node:<name>` in `system:nodes`) may do, as Kubernetes' Node
/// authorizer and system:node rules allow: read what its pods need, write its own Node and Lease,
/// the status of pods bound to it, and events. Anything else is left to RBAC (which grants nodes
/// nothing by default), so another node's pods or a secret no pod of its own uses is a 403.
/// A kubelet is also its node's volume provisioner (external-provisioner's node deployment): it
/// may read and create PersistentVolumes, and delete those whose node affinity holds only for
/// nodes like itself (its local volumes).
public struct NodeAuthorizer: Authorizer {
    let cache: WatchCache
    static let podsResource = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!
    static let nodesResource = ResourceCatalog.lookup(group: "", version: "v1", resource: "nodes")!
    static let volumesResource = ResourceCatalog.lookup(group: "", version: "v1", resource: "persistentvolumes")!

    public init(cache: WatchCache) { self.cache = cache }

    static let readVerbs: Set<String> = ["get", "list", "watch"]

    public func authorize(_ a: RequestAttributes) -> Decision {
        guard let node = a.user.nodeName, a.isResourceRequest else { return .noOpinion("") }
        let read = Self.readVerbs.contains(a.verb)
        switch (a.apiGroup, a.resource) {
        case ("", "nodes"):
            if read || a.verb == "create" { return .allow }
            if a.name == node, ["update", "patch", "delete"].contains(a.verb) { return .allow }
            return .noOpinion("node '\(node)' cannot modify node '\(a.name)'")
        case ("coordination.k8s.io", "leases") where a.namespace == "kube-node-lease":
            if read || a.verb == "create" { return .allow }
            if a.name == node, ["update", "patch", "delete"].contains(a.verb) { return .allow }
            return .noOpinion("node '\(node)' cannot modify the lease of '\(a.name)'")
        case ("", "pods"):
            if a.subresource.isEmpty, read { return .allow }
            let mine = boundPod(a.namespace, a.name, to: node)
            if a.subresource == "status", ["get", "update", "patch"].contains(a.verb), mine { return .allow }
            if a.subresource.isEmpty, a.verb == "delete", mine { return .allow }
            return .noOpinion("node '\(node)' can only change pods with spec.nodeName set to itself")
        case ("", "events"), ("events.k8s.io", "events"):
            return ["create", "update", "patch"].contains(a.verb) ? .allow : .noOpinion("")
        case ("", "configmaps"), ("", "secrets"), ("", "persistentvolumeclaims"):
            guard a.verb == "get", !a.name.isEmpty else { return .noOpinion("") }
            return podsOn(node, namespace: a.namespace).contains { Self.references($0, a.resource, a.name) }
                ? .allow
                : .noOpinion("no relationship found between node '\(node)' and this object")
        case ("", "persistentvolumes"):
            if read || a.verb == "create" { return .allow }
            if a.verb == "delete", !a.name.isEmpty,
               let pv = cache.get(Self.volumesResource.key(namespace: "", name: a.name), resource: Self.volumesResource)?.json {
                let labels = cache.get(Self.nodesResource.key(namespace: "", name: node), resource: Self.nodesResource)?.labels ?? [:]
                if Self.isLocal(pv, to: node, labels: labels) { return .allow }
            }
            return .noOpinion("node '\(node)' can only delete persistent volumes local to it")
        case ("", "serviceaccounts") where a.subresource == "token" && a.verb == "create":
            return podsOn(node, namespace: a.namespace).contains { ($0[path: ["spec", "serviceAccountName"]]?.string ?? "default") == a.name }
                ? .allow
                : .noOpinion("no relationship found between node '\(node)' and this object")
        case ("storage.k8s.io", "csinodes"):
            if read || a.verb == "create" { return .allow }
            if a.name == node, ["update", "patch", "delete"].contains(a.verb) { return .allow }
            return .noOpinion("node '\(node)' cannot modify the CSINode of '\(a.name)'")
        case ("", "services"), ("", "endpoints"), ("storage.k8s.io", _):
            return read ? .allow : .noOpinion("")
        default:
            return .noOpinion("")
        }
    }

    /// Whether a volume's required node affinity names this node (by its labels or name): only
    /// such a volume's storage is on the node.
    static func isLocal(_ pv: JSON, to node: String, labels: [String: String]) -> Bool {
        guard let terms = NodeSelectorTerm.required(ofVolume: pv), !terms.isEmpty else { return false }
        return terms.allSatisfy { $0.matches(name: node, labels: labels) }
    }

    func boundPod(_ namespace: String, _ name: String, to node: String) -> Bool {
        cache.get(Self.podsResource.key(namespace: namespace, name: name), resource: Self.podsResource)?.fields["spec.nodeName"] == node
    }

    func podsOn(_ node: String, namespace: String) -> [JSON] {
        let filter = WatchFilter(resource: Self.podsResource, namespace: namespace, labels: nil,
                                 fields: try? FieldSelector(parsing: "spec.nodeName=\(node)"))
        return cache.list(filter).items.map(\.json)
    }

    /// Whether a pod's volumes, env or pull secrets name this object.
    static func references(_ pod: JSON, _ resource: String, _ name: String) -> Bool {
        let spec = pod["spec"] ?? .null
        let volumes = spec["volumes"]?.array ?? []
        switch resource {
        case "secrets":
            if (spec["imagePullSecrets"]?.array ?? []).contains(where: { $0["name"]?.string == name }) { return true }
            if volumes.contains(where: { $0[path: ["secret", "secretName"]]?.string == name }) { return true }
            if volumes.contains(where: { v in (v[path: ["projected", "sources"]]?.array ?? []).contains { $0[path: ["secret", "name"]]?.string == name } }) { return true }
            return containers(spec).contains { refs($0, "secretKeyRef", "secretRef", name) }
        case "configmaps":
            if volumes.contains(where: { $0[path: ["configMap", "name"]]?.string == name }) { return true }
            if volumes.contains(where: { v in (v[path: ["projected", "sources"]]?.array ?? []).contains { $0[path: ["configMap", "name"]]?.string == name } }) { return true }
            return containers(spec).contains { refs($0, "configMapKeyRef", "configMapRef", name) }
        case "persistentvolumeclaims":
            return volumes.contains { $0[path: ["persistentVolumeClaim", "claimName"]]?.string == name }
        default:
            return false
        }
    }

    static func containers(_ spec: JSON) -> [JSON] {
        (spec["containers"]?.array ?? []) + (spec["initContainers"]?.array ?? []) + (spec["ephemeralContainers"]?.array ?? [])
    }

    static func refs(_ c: JSON, _ keyRef: String, _ fromRef: String, _ name: String) -> Bool {
        (c["env"]?.array ?? []).contains { $0[path: ["valueFrom", keyRef, "name"]]?.string == name }
            || (c["envFrom"]?.array ?? []).contains { $0[path: [fromRef, "name"]]?.string == name }
    }
}
