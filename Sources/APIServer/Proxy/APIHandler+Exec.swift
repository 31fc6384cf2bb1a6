import Foundation
import HTTPTypes
import KubeAPI
import NIOSSL
import StreamRelay
import X509

extension APIHandler {
    /// Where an exec or attach WebSocket goes: the pod's kubelet, with the subprotocol agreed
    /// with the client. nil when the request is not one we upgrade (the plain handler then
    /// answers it with the reason, e.g. 401 or a missing pod).
    func streamTarget(_ head: HTTPRequest, certificate: Certificate?) async -> (proto: String, upstream: WebSocketRelay.Upstream)? {
        guard let full = head.path else { return nil }
        let path = String(full.prefix { $0 != "?" })
        // exec and attach need both get and create on the subresource, as Kubernetes checks for WebSockets.
        guard let user = try? identify(head.headerFields, path: path, certificate: certificate).user else { return nil }
        var attributes = RequestAttributes.of(user: user, method: .get, path: path, watch: false)
        guard (try? authorize(attributes)) != nil else { return nil }
        attributes.verb = "create"
        guard (try? authorize(attributes)) != nil else { return nil }
        let query = QueryString.of(full)
        guard let p = APIPath.parse(path), p.group == "", p.resource == "pods", let name = p.name,
              let sub = p.subresource, sub == "exec" || sub == "attach",
              let proto = ChannelProtocol.choose(offered: head.headerFields[HTTPField.Name("Sec-WebSocket-Protocol")!]) else { return nil }
        let ns = p.namespace ?? "default"
        guard let pods = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods"),
              let nodes = ResourceCatalog.lookup(group: "", version: "v1", resource: "nodes"),
              let pod = try? await store.get(pods, namespace: ns, name: name).json,
              let nodeName = pod[path: ["spec", "nodeName"]]?.string, !nodeName.isEmpty,
              let node = try? await store.get(nodes, namespace: nil, name: nodeName).json,
              let endpoint = try? KubeletClient.endpoint(node: node, name: nodeName) else { return nil }
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []) + (pod[path: ["spec", "initContainers"]]?.array ?? [])
        let names = containers.compactMap { $0["name"]?.string }
        let requested = RequestOptions(query: QueryString.pairs(query)).container
        guard let container = requested ?? (names.count >= 1 ? names[0] : nil), names.contains(container) else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let url = endpoint.replacingOccurrences(of: "https://", with: "wss://") + "/\(sub)/\(ns)/\(name)/\(container)?\(query)"
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(kubelets.token)"
        return (proto, WebSocketRelay.Upstream(url: url, headers: headers, tls: tls, serverName: nodeName))
    }
}
