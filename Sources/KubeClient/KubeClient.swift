import AsyncHTTPClient
import Foundation
import KubeAPI
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A REST client for the Kubernetes API: JSON in and out, bearer token, the cluster's CA, kept-alive
/// HTTP/1.1 connections, and watches read line by line. Paths are API paths
/// (`/api/v1/namespaces/default/pods`); errors are the server's Status as `KubeClientError`.
public final class KubeClient: Sendable {
    public enum PatchType: String, Sendable {
        case strategic = "application/strategic-merge-patch+json"
        case merge = "application/merge-patch+json"
        case json = "application/json-patch+json"
    }

    public let configuration: KubeClientConfiguration
    private let http: HTTPClient

    public init(configuration: KubeClientConfiguration) throws {
        self.configuration = configuration
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let pem = configuration.caCertificatePEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        }
        var config = HTTPClient.Configuration(tlsConfiguration: tls)
        config.httpVersion = .http1Only
        config.timeout = .init(connect: .seconds(10), read: nil)
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        config.decompression = .disabled
        http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
    }

    /// Closes the connections. Call once, when done with the client.
    public func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: verbs

    public func get(_ path: String, query: [(String, String)] = []) async throws -> JSON {
        try await json(.GET, path, query: query)
    }

    public func create(_ path: String, _ body: JSON, query: [(String, String)] = []) async throws -> JSON {
        try await json(.POST, path, query: query, body: body)
    }

    public func update(_ path: String, _ body: JSON) async throws -> JSON {
        try await json(.PUT, path, body: body)
    }

    public func patch(_ path: String, _ body: JSON, type: PatchType = .strategic, query: [(String, String)] = []) async throws -> JSON {
        try await json(.PATCH, path, query: query, body: body, contentType: type.rawValue)
    }

    public func delete(_ path: String, options: JSON? = nil) async throws -> JSON {
        try await json(.DELETE, path, body: options)
    }

    /// One request; a non-2xx answer throws the server's Status.
    public func json(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSON? = nil,
                     contentType: String = "application/json") async throws -> JSON {
        let (code, bytes) = try await raw(method, path, query: query, body: body.map { $0.bytes }, contentType: contentType)
        guard (200..<300).contains(code) else { throw KubeClientError.from(code: code, body: bytes) }
        do { return try JSONParser.parse(bytes) } catch {
            throw KubeClientError.malformed(code: code, detail: "\(error)")
        }
    }

    /// One request, answered with its status code and whole body, whatever the code.
    public func raw(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                    contentType: String = "application/json", accept: String = "application/json") async throws -> (Int, [UInt8]) {
        var request = makeRequest(method, path, query: query, accept: accept)
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .init(configuration.requestTimeout))
        let buffer = try await response.body.collect(upTo: 256 << 20)
        return (Int(response.status.code), Array(buffer.readableBytesView))
    }

    /// Watches a collection from `resourceVersion`; the stream ends when the server closes the watch
    /// (after `timeoutSeconds`) and throws when the connection fails or the server refuses it
    /// (a 410 is thrown as `KubeClientError` with `isGone`). ERROR events are passed through.
    public func watch(_ path: String, resourceVersion: String, query: [(String, String)] = [],
                      timeoutSeconds: Int = 300) -> AsyncThrowingStream<WatchEvent, Error> {
        let q = query + [("watch", "true"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
                         ("timeoutSeconds", String(timeoutSeconds))]
        let request = makeRequest(.GET, path, query: q, accept: "application/json")
        let http = self.http
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await http.execute(request, timeout: .seconds(Int64(timeoutSeconds) + 60))
                    guard response.status == .ok else {
                        let body = try await response.body.collect(upTo: 1 << 20)
                        throw KubeClientError.from(code: Int(response.status.code), body: Array(body.readableBytesView))
                    }
                    var splitter = LineSplitter()
                    for try await chunk in response.body {
                        splitter.feed(chunk.readableBytesView) { line in
                            if let event = WatchEvent(line: line) { continuation.yield(event) }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func makeRequest(_ method: HTTPMethod, _ path: String, query: [(String, String)], accept: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: configuration.server + path + Self.encode(query))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        return request
    }

    static func encode(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "?" + query.map { k, v in
            "\(k.addingPercentEncoding(withAllowedCharacters: allowed) ?? k)=\(v.addingPercentEncoding(withAllowedCharacters: allowed) ?? v)"
        }.joined(separator: "&")
    }
}
