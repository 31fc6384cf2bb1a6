import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import KubeAPI

extension APIHandler {
    func subresource(_ request: Request, _ r: ResourceInfo, ns: String?, name: String, sub: String,
                     options: RequestOptions, accept: Negotiation, user: UserInfo) async throws -> Response {
        let method = request.method
        switch (sub, method) {
        case ("token", .post):
            return try await tokenRequest(request, namespace: ns ?? "default", serviceAccount: name, user: user)
        case ("status", .get):
            return APIResponse.bytes(try await store.get(r, namespace: ns, name: name).bytes)
        case ("status", .put), ("finalize", .put), ("approval", .put):
            var body = try await readObject(request, r)
            let warnings = try checkFields(&body, r, options)
            let updated = try await store.update(r, namespace: ns, name: name, object: body, subresource: sub, options: options)
            return APIResponse.json(updated, headers: warningHeaders(warnings))
        case ("status", .patch), ("approval", .patch):
            return try await patch(request, r, ns: ns, name: name, subresource: sub, options: options)
        case ("binding", .post):
            let body = try await readObject(request, ResourceCatalog.lookup(group: "", version: "v1", resource: "bindings")!)
            return try await bind(namespace: ns ?? "default", podName: name, binding: body)
        case ("eviction", .post):
            let body = try await readOptionalBody(request, r)
            let opts = try DeleteOptions(body: body?["deleteOptions"], query: options)
            _ = try await store.delete(r, namespace: ns, name: name, options: opts)
            let status: JSON = ["kind": "Status", "apiVersion": "v1", "metadata": .object(JSONObject()),
                                "status": "Success", "code": 201]
            return APIResponse.json(status, status: .created)
        case ("log", .get):
            return try await podLog(r, ns: ns ?? "default", name: name, options: options)
        case ("exec", _), ("attach", _), ("portforward", _):
            let pod = try await store.get(r, namespace: ns, name: name).json
            let node = pod[path: ["spec", "nodeName"]]?.string ?? ""
            if node.isEmpty {
                throw StatusError.badRequest("pod \(name) does not have a host assigned")
            }
            throw StatusError.badRequest("Upgrade request required")
        default:
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    /// pods/binding: the scheduler's assignment of a pod to a node, once only.
    func bind(namespace: String, podName: String, binding: JSON) async throws -> Response {
        let pods = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!
        guard let target = binding[path: ["target", "name"]]?.string, !target.isEmpty else {
            throw StatusError.invalid(kind: "Binding", name: podName, causes: [.required("target.name")])
        }
        if let kind = binding[path: ["target", "kind"]]?.string, !kind.isEmpty, kind != "Node" {
            throw StatusError.invalid(kind: "Binding", name: podName,
                                      causes: [.notSupported("target.kind", .string(kind), ["Node"])])
        }
        let now = WallClock.system.timestamp()
        _ = try await store.guaranteedUpdate(pods, namespace: namespace, name: podName, subresource: "binding") { old in
            if old[path: ["metadata", "deletionTimestamp"]] != nil {
                throw StatusError.conflict(pods, podName, "pod \(podName) is being deleted, cannot be assigned to a host")
            }
            if let n = old[path: ["spec", "nodeName"]]?.string, !n.isEmpty {
                throw StatusError.conflict(pods, podName, "pod \(podName) is already assigned to node \"\(n)\"")
            }
            var new = old
            new[path: ["spec", "nodeName"]] = .string(target)
            var conds = (new[path: ["status", "conditions"]]?.array ?? []).filter { $0["type"]?.string != "PodScheduled" }
            conds.append(["type": "PodScheduled", "status": "True", "lastProbeTime": .null, "lastTransitionTime": .string(now)])
            new[path: ["status", "conditions"]] = .array(conds)
            if let ann = binding[path: ["metadata", "annotations"]]?.object {
                for (k, v) in ann { new[path: ["metadata", "annotations", k]] = v }
            }
            return new
        }
        let status: JSON = ["kind": "Status", "apiVersion": "v1", "metadata": .object(JSONObject()),
                            "status": "Success", "code": 201]
        return APIResponse.json(status, status: .created)
    }

    /// pods/log: served by the node's kubelet; without one, say why the log is not there.
    func podLog(_ r: ResourceInfo, ns: String, name: String, options: RequestOptions) async throws -> Response {
        let pod = try await store.get(r, namespace: ns, name: name).json
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []).compactMap { $0["name"]?.string }
        let inits = (pod[path: ["spec", "initContainers"]]?.array ?? []).compactMap { $0["name"]?.string }
        let container: String
        if let c = options.container, !c.isEmpty {
            guard containers.contains(c) || inits.contains(c) else {
                throw StatusError.badRequest("container \(c) is not valid for pod \(name)")
            }
            container = c
        } else if containers.count == 1 {
            container = containers[0]
        } else {
            throw StatusError.badRequest("a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]")
        }
        let statuses = (pod[path: ["status", "containerStatuses"]]?.array ?? []) + (pod[path: ["status", "initContainerStatuses"]]?.array ?? [])
        let st = statuses.first { $0["name"]?.string == container }
        let waiting = st?[path: ["state", "waiting", "reason"]]?.string ?? "ContainerCreating"
        let hasRun = st?[path: ["state", "running"]] != nil || st?[path: ["state", "terminated"]] != nil
        // A container waiting to restart shows the log of its last run.
        if !options.previous && !hasRun && st?[path: ["lastState", "terminated"]] == nil {
            throw StatusError.badRequest("container \"\(container)\" in pod \"\(name)\" is waiting to start: \(waiting)")
        }
        if options.previous && st?[path: ["lastState", "terminated"]] == nil {
            throw StatusError.badRequest("previous terminated container \"\(container)\" in pod \"\(name)\" not found")
        }
        let nodeName = pod[path: ["spec", "nodeName"]]?.string ?? ""
        guard !nodeName.isEmpty else { throw StatusError.badRequest("pod \(name) does not have a host assigned") }
        let nodes = ResourceCatalog.lookup(group: "", version: "v1", resource: "nodes")!
        let node = try await store.get(nodes, namespace: nil, name: nodeName).json
        var query: [(String, String)] = []
        if options.follow { query.append(("follow", "true")) }
        if options.previous { query.append(("previous", "true")) }
        if options.timestamps { query.append(("timestamps", "true")) }
        if let t = options.tailLines { query.append(("tailLines", String(t))) }
        if let s = options.sinceSeconds { query.append(("sinceSeconds", String(s))) }
        if let s = options.sinceTime { query.append(("sinceTime", s)) }
        if let l = options.limitBytes { query.append(("limitBytes", String(l))) }
        let q = query.isEmpty ? "" : "?" + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }.joined(separator: "&")
        let url = try KubeletClient.endpoint(node: node, name: nodeName) + "/containerLogs/\(ns)/\(name)/\(container)" + q
        let upstream: HTTPClientResponse
        do {
            upstream = try await kubelets.get(url, timeout: options.follow ? .seconds(86_400) : .seconds(60))
        } catch {
            throw StatusError(code: 500, reason: "InternalError",
                              message: "Get \"\(url)\": \(error)")
        }
        guard upstream.status == .ok else {
            let text = String(buffer: try await upstream.body.collect(upTo: 1 << 20))
            throw StatusError.badRequest(text.isEmpty ? "the kubelet answered \(upstream.status.code)" : text)
        }
        let body = ResponseBody { writer in
            for try await chunk in upstream.body { try await writer.write(chunk) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: body)
    }
}
