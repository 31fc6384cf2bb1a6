import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// An OCI distribution v2 client for one repository: manifests and blobs, with the anonymous,
/// Basic and Bearer-challenge auth flows, and registry errors turned into honest runtime errors.
/// Endpoints are tried in order, each only for what its capabilities allow.
final class RegistryClient: Sendable {
    let endpoints: [RegistryEndpoint]
    let repository: String
    let credentials: RegistryCredentials
    let http: HTTPClient
    /// The Authorization header that worked, per endpoint host (tokens are not sent elsewhere).
    private let authorizations = LockedValue<[String: String]>([:])

    init(endpoints: [RegistryEndpoint], repository: String, credentials: RegistryCredentials, http: HTTPClient = .shared) {
        self.endpoints = endpoints
        self.repository = repository
        self.credentials = credentials
        self.http = http
    }

    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    struct Fetched: Sendable {
        var data: Data
        var mediaType: String?
        var digest: String
    }

    func manifest(_ reference: String) async throws -> Fetched {
        // Only a trusted (resolve) host may say which digest a tag is; content by digest is verified.
        let (data, response) = try await get("manifests/\(reference)", accept: MediaType.manifestAccept,
                                             what: "manifest \(repository):\(reference)", needs: reference.hasPrefix("sha256:") ? .pull : .resolve)
        let computed = RegistryClient.digest(of: data)
        if reference.hasPrefix("sha256:"), computed != reference {
            throw RuntimeError.io("manifest digest mismatch: expected \(reference), got \(computed)")
        }
        let contentType = response.header("Content-Type")?.split(separator: ";").first.map(String.init)
        let probed = (try? JSONDecoder().decode(ManifestProbe.self, from: data))?.kind
        let mediaType = MediaType.isIndex(contentType) || MediaType.isManifest(contentType) ? contentType : probed
        return Fetched(data: data, mediaType: mediaType, digest: computed)
    }

    /// A blob, verified against its digest.
    func blob(_ digest: String) async throws -> Data {
        let (data, _) = try await get("blobs/\(digest)", accept: "*/*", what: "blob \(digest)", needs: .pull)
        let computed = RegistryClient.digest(of: data)
        guard computed == digest else { throw RuntimeError.io("blob digest mismatch: expected \(digest), got \(computed)") }
        return data
    }

    static func digest(of data: Data) -> String {
        "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    private func get(_ path: String, accept: String, what: String, needs: RegistryEndpoint.Capabilities) async throws -> (Data, Response) {
        let usable = endpoints.filter { $0.capabilities.contains(needs) }
        guard !usable.isEmpty else {
            throw RuntimeError.failedPrecondition("\(what): no registry host is configured to \(needs == .resolve ? "resolve tags" : "pull")")
        }
        var firstNotFound: RuntimeError?
        var lastError: RuntimeError = .unavailable("no registry endpoint")
        for endpoint in usable {
            do {
                return try await getAuthorized(endpoint, endpoint.url("\(repository)/\(path)"), accept: accept, what: what)
            } catch let error as RuntimeError {
                // A mirror that lacks the content or is down falls through to the next host.
                switch error {
                case .notFound: firstNotFound = firstNotFound ?? error
                case .unavailable: lastError = error
                default: throw error
                }
            }
        }
        throw firstNotFound ?? lastError
    }

    private func getAuthorized(_ endpoint: RegistryEndpoint, _ url: URL, accept: String, what: String) async throws -> (Data, Response) {
        let host = RegistryClient.authority(url)
        let known = authorizations.get()[host] ?? credentials.registryToken.map { "Bearer \($0)" }
        var response = try await send(url, accept: accept, authorization: known, endpoint: endpoint)
        if response.status == 401 {
            let header = response.header("WWW-Authenticate") ?? ""
            guard let challenge = AuthChallenge(header: header) else {
                throw RuntimeError.unauthenticated("\(what): unauthorized (\(header))")
            }
            let value = try await answer(challenge, host: host)
            authorizations.withValue { $0[host] = value }
            response = try await send(url, accept: accept, authorization: value, endpoint: endpoint)
        }
        let data = response.body
        switch response.status {
        case 200..<300:
            return (data, response)
        case 401, 403:
            throw RuntimeError.unauthenticated("\(what): \(RegistryClient.errorText(data, status: response.status)) (check the credentials)")
        case 404:
            throw RuntimeError.notFound("\(what) not found: \(RegistryClient.errorText(data, status: 404))")
        default:
            throw RuntimeError.io("\(what): registry answered \(response.status): \(RegistryClient.errorText(data, status: response.status))")
        }
    }

    private func answer(_ challenge: AuthChallenge, host: String) async throws -> String {
        switch challenge.scheme {
        case .basic:
            guard let basic = credentials.basicHeader else {
                throw RuntimeError.unauthenticated("registry \(host) requires credentials")
            }
            return basic
        case .bearer:
            guard let realm = challenge.realm, var components = URLComponents(string: realm) else {
                throw RuntimeError.unauthenticated("registry \(host): bearer challenge without realm")
            }
            var query = components.queryItems ?? []
            if let service = challenge.parameters["service"] { query.append(URLQueryItem(name: "service", value: service)) }
            query.append(URLQueryItem(name: "scope", value: challenge.parameters["scope"] ?? "repository:\(repository):pull"))
            components.queryItems = query
            guard let tokenURL = components.url else { throw RuntimeError.unauthenticated("bad token realm \(realm)") }
            let response = try await send(tokenURL, accept: "application/json", authorization: credentials.basicHeader, endpoint: nil)
            let data = response.body
            guard response.status == 200 else {
                throw RuntimeError.unauthenticated("token server \(tokenURL.host ?? realm) refused: \(response.status) \(RegistryClient.errorText(data, status: response.status))")
            }
            struct Token: Decodable { var token: String?; var access_token: String? }
            guard let token = try? JSONDecoder().decode(Token.self, from: data), let value = token.token ?? token.access_token else {
                throw RuntimeError.unauthenticated("token server returned no token")
            }
            return "Bearer \(value)"
        }
    }

    /// One GET, with the endpoint's headers and TLS settings (none for token servers).
    private func send(_ url: URL, accept: String, authorization: String?, endpoint: RegistryEndpoint?) async throws -> Response {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: accept)
        for (name, values) in endpoint?.headers ?? [:] {
            for value in values { request.headers.add(name: name, value: value) }
        }
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let endpoint { request.tlsConfiguration = try RegistryClient.tls(endpoint) }
        do {
            let response = try await http.execute(request, timeout: .minutes(30))
            let body = try await response.body.collect(upTo: Int.max)
            return Response(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw RuntimeError.unavailable("registry \(RegistryClient.authority(url)) unreachable: \(error)")
        }
    }

    /// Custom TLS only where the hosts file asks for it (`skip_verify`, `ca`); the system's otherwise.
    static func tls(_ endpoint: RegistryEndpoint) throws -> TLSConfiguration? {
        guard endpoint.apiRoot.scheme == "https", endpoint.skipVerify || !endpoint.caFiles.isEmpty else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if endpoint.skipVerify { tls.certificateVerification = .none }
        if !endpoint.caFiles.isEmpty {
            var certificates: [NIOSSLCertificate] = []
            for file in endpoint.caFiles {
                do { certificates += try NIOSSLCertificate.fromPEMFile(file) } catch {
                    throw RuntimeError.invalidArgument("registry CA file \(file): \(error)")
                }
            }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        return tls
    }

    static func authority(_ url: URL) -> String {
        (url.host ?? "") + (url.port.map { ":\($0)" } ?? "")
    }

    /// The registry's error codes and messages, or the start of a plain-text body.
    static func errorText(_ data: Data, status: Int) -> String {
        struct Errors: Decodable { struct Entry: Decodable { var code: String?; var message: String? }; var errors: [Entry] }
        if let decoded = try? JSONDecoder().decode(Errors.self, from: data), !decoded.errors.isEmpty {
            return decoded.errors.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")
        }
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(status)" : text
    }
}
