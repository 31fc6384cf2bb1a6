import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import KubeAPI
import Logging
import NIOCore
import NIOSSL

/// The kubelet's HTTPS endpoint (port 10250): container logs for the API server's pods/log,
/// health, and the pods it runs. Every request but /healthz needs a bearer token it trusts.
struct KubeletServer: Sendable {
    let ctx: KubeletContext

    func run() async throws {
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
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(config.address, port: config.port), serverName: "skiff-kubelet"),
            logger: logger)
        try await app.runService()
    }

    static func authorized(_ request: Request, _ tokens: Set<String>) -> Bool {
        guard let h = request.headers[.authorization], h.hasPrefix("Bearer ") else { return false }
        return tokens.contains(String(h.dropFirst(7)).trimmingCharacters(in: .whitespaces))
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }
}
