import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import HummingbirdWebSocket
import StreamRelay
import KubeAPI
import Logging
import NIOCore
import NIOSSL

/// The kubelet's HTTPS endpoint (port 10250): container logs for the API server's pods/log,
/// health, and the pods it runs. Every request but /healthz needs a bearer token it trusts.
struct KubeletServer: Sendable {
    let ctx: KubeletContext

    func run() async throws {
        let ctx = self.ctx
        let config = ctx.config
        guard config.port != 0, let certPEM = config.tlsCertificatePEM, let keyPEM = config.tlsKeyPEM else { return }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(certPEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)))
        tls.applicationProtocols = ["http/1.1"]
        let router = Router(context: BasicRequestContext.self)
        let tokens = config.authorizedTokens
        let logs = ContainerLogs(ctx: ctx)
        router.get("/healthz") { _, _ in "ok" }
        router.get("/containerLogs/:namespace/:pod/:container") { request, context -> Response in
            guard Self.authorized(request, tokens) else { return Self.text(.unauthorized, "Unauthorized") }
            let ns = context.parameters.get("namespace") ?? "", pod = context.parameters.get("pod") ?? ""
            let container = context.parameters.get("container") ?? ""
            let options = LogOptions(query: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
            let found: (path: String, id: String, uid: String)
            do {
                found = try await logs.locate(namespace: ns, pod: pod, container: container, previous: options.previous)
            } catch ContainerLogs.Failure.notFound(let m) {
                return Self.text(.notFound, m)
            } catch ContainerLogs.Failure.badRequest(let m) {
                return Self.text(.badRequest, m)
            }
            let body = ResponseBody { writer in
                try await logs.stream(path: found.path, containerID: found.id, uid: found.uid, options: options) { bytes in
                    try await writer.write(ByteBuffer(bytes: bytes))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: body)
        }
        router.get("/pods") { request, _ -> Response in
            guard Self.authorized(request, tokens) else { return Self.text(.unauthorized, "Unauthorized") }
            let list: JSON = .object(JSONObject([("kind", "PodList"), ("apiVersion", "v1"), ("metadata", .object(JSONObject())),
                                                 ("items", .array(Array(ctx.store.pods.values)))]))
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: list.bytes)))
        }
        var logger = ctx.logger
        logger.logLevel = max(logger.logLevel, .notice)
        let app = Application(
            router: router,
            server: try .tls(.http1WebSocketUpgrade(configuration: .init(maxFrameSize: 1 << 20)) { head, _, _ in
                guard let target = head.path, let request = StreamRequest(target: target),
                      Self.authorized(head.headerFields[.authorization], tokens),
                      let proto = ChannelProtocol.choose(offered: head.headerFields[HTTPField.Name("Sec-WebSocket-Protocol")!]),
                      let containerID = Self.runningContainer(ctx, request) else { return .dontUpgrade }
                return .upgrade([HTTPField.Name("Sec-WebSocket-Protocol")!: proto]) { inbound, outbound, context in
                    do {
                        try await WebSocketRelay.relay(inbound: inbound, outbound: outbound, chosen: proto, logger: context.logger) { _ in
                            // Each try needs a fresh URL: the runtime's are single-use.
                            let url = try await CRIRuntimeClient.again {
                                switch request.kind {
                                case .exec: try await ctx.cri.runtime.exec(request.exec(containerID: containerID)).url
                                case .attach: try await ctx.cri.runtime.attach(request.attach(containerID: containerID)).url
                                }
                            }
                            return WebSocketRelay.Upstream(url: url.replacingOccurrences(of: "http://", with: "ws://")
                                .replacingOccurrences(of: "https://", with: "wss://"))
                        }
                    } catch {
                        await WebSocketRelay.fail(outbound, message: "error dialing backend: \(error)")
                        context.logger.notice("stream ended", metadata: ["error": "\(error)"])
                    }
                }
            }, tlsConfiguration: tls),
            configuration: .init(address: .hostname(config.address, port: config.port), serverName: "skiff-kubelet"),
            logger: logger)
        try await app.runService()
    }

    static func authorized(_ request: Request, _ tokens: Set<String>) -> Bool {
        authorized(request.headers[.authorization], tokens)
    }

    /// A token is allowed as itself or as `sha256:<hex>` of it (how a joined node knows the API
    /// server's credential without holding it).
    static func authorized(_ header: String?, _ tokens: Set<String>) -> Bool {
        guard let h = header, h.hasPrefix("Bearer ") else { return false }
        let token = String(h.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        if tokens.contains(token) { return true }
        let hash = SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
        return tokens.contains("sha256:" + hash)
    }

    /// The running instance of the container a stream asks for.
    static func runningContainer(_ ctx: KubeletContext, _ r: StreamRequest) -> String? {
        guard let uid = ctx.store.uid(namespace: r.namespace, name: r.pod) else { return nil }
        return ctx.store.runtime(uid).containers.first { $0.name == r.container && $0.state == .running }?.id
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }
}
