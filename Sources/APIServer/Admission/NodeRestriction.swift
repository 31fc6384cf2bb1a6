import KubeAPI

/// Kubernetes' NodeRestriction admission: a kubelet may create and change only its own Node,
/// Lease and CSINode, may not set labels under node-restriction.kubernetes.io/, and may change only pods
/// bound to it.
public struct NodeRestriction: AdmissionPlugin {
    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        guard let node = request.user.nodeName else { return }
        let r = request.resource
        let name = object[path: ["metadata", "name"]]?.string ?? request.name
        switch (r.group, r.resource) {
        case ("", "nodes"):
            if name != node {
                throw StatusError.forbidden("nodes \"\(name)\" is forbidden: node \"\(node)\" is not allowed to modify node \"\(name)\"",
                                            name: name, kind: "nodes")
            }
            let labels = object[path: ["metadata", "labels"]]?.object ?? JSONObject()
            let old = request.old?[path: ["metadata", "labels"]]?.object ?? JSONObject()
            let restricted = labels.keys.filter { $0.contains("node-restriction.kubernetes.io/") && old[$0] != labels[$0] }
            if !restricted.isEmpty {
                throw StatusError.forbidden("nodes \"\(name)\" is forbidden: is not allowed to modify labels: \(restricted.sorted().joined(separator: ", "))",
                                            name: name, kind: "nodes")
            }
        case ("storage.k8s.io", "csinodes"):
            if name != node {
                throw StatusError.forbidden("csinodes.storage.k8s.io \"\(name)\" is forbidden: node \"\(node)\" is not allowed to modify CSINode \"\(name)\"",
                                            name: name, group: "storage.k8s.io", kind: "csinodes")
            }
        case ("coordination.k8s.io", "leases") where request.namespace == "kube-node-lease":
            if name != node {
                throw StatusError.forbidden("leases.coordination.k8s.io \"\(name)\" is forbidden: can only access node lease with the same name as the requesting node",
                                            name: name, group: "coordination.k8s.io", kind: "leases")
            }
        case ("", "pods"):
            if request.operation == .create {
                throw StatusError.forbidden("pods \"\(name)\" is forbidden: node \"\(node)\" can only create mirror pods, which this server does not serve",
                                            name: name, kind: "pods")
            }
            let bound = (request.old ?? object)[path: ["spec", "nodeName"]]?.string
            if bound != node {
                throw StatusError.forbidden("pods \"\(name)\" is forbidden: node \"\(node)\" can only update pod status for pods with spec.nodeName set to itself",
                                            name: name, kind: "pods")
            }
        default:
            return
        }
    }
}
