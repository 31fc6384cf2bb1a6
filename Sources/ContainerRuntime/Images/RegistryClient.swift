import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Crypto

/// An OCI distribution v2 client for one repository: manifests and blobs, with the anonymous,
/// Basic and Bearer-challenge auth flows, and registry errors turned into honest runtime errors.
final class RegistryClient: Sendable {
    let endpoints: [URL]
    let repository: String
    let credentials: RegistryCredentials
    let session: URLSession
    private let challenges = ChallengeCatcher()
    private let authorization = LockedValue<String?>(nil)

    init(endpoints: [URL], repository: String, credentials: RegistryCredentials) {
        self.endpoints = endpoints
        self.repository = repository
        self.credentials = credentials
        self.session = URLSession(configuration: .ephemeral, delegate: challenges, delegateQueue: nil)
        if let token = credentials.registryToken { authorization.set("Bearer \(token)") }
    }

    deinit { session.finishTasksAndInvalidate() }

    struct Fetched: Sendable {
        var data: Data
        var mediaType: String?
        var digest: String
    }

    func manifest(_ reference: String) async throws -> Fetched {
        let (data, response) = try await get("manifests/\(reference)", accept: MediaType.manifestAccept, what: "manifest \(repository):\(reference)")
        let computed = RegistryClient.digest(of: data)
        if reference.hasPrefix("sha256:"), computed != reference {
            throw RuntimeError.io("manifest digest mismatch: expected \(reference), got \(computed)")
        }
        let contentType = response.value(forHTTPHeaderField: "Content-Type")?.split(separator: ";").first.map(String.init)
        let probed = (try? JSONDecoder().decode(ManifestProbe.self, from: data))?.kind
        let mediaType = MediaType.isIndex(contentType) || MediaType.isManifest(contentType) ? contentType : probed
        return Fetched(data: data, mediaType: mediaType, digest: computed)
    }

    /// A blob, verified against its digest.
    func blob(_ digest: String) async throws -> Data {
        let (data, _) = try await get("blobs/\(digest)", accept: "*/*", what: "blob \(digest)")
        let computed = RegistryClient.digest(of: data)
        guard computed == digest else { throw RuntimeError.io("blob digest mismatch: expected \(digest), got \(computed)") }
        return data
    }

    static func digest(of data: Data) -> String {
        "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    private func get(_ path: String, accept: String, what: String) async throws -> (Data, HTTPURLResponse) {
        var lastError: Error = RuntimeError.unavailable("no registry endpoint")
        for endpoint in endpoints {
            let url = endpoint.appendingPathComponent("v2/\(repository)/\(path)")
            do {
                return try await getAuthorized(url, accept: accept, what: what)
            } catch let error as RuntimeError {
                if case .unavailable = error { lastError = error; continue }
                throw error
            }
        }
        throw lastError
    }

    private func getAuthorized(_ url: URL, accept: String, what: String) async throws -> (Data, HTTPURLResponse) {
        var (data, response) = try await send(url, accept: accept, authorization: authorization.get())
        if response.statusCode == 401 {
            let header = response.value(forHTTPHeaderField: "WWW-Authenticate") ?? ""
            guard let challenge = AuthChallenge(header: header) else {
                throw RuntimeError.unauthenticated("\(what): unauthorized (\(header))")
            }
            let value = try await answer(challenge, host: url.host ?? "")
            authorization.set(value)
            (data, response) = try await send(url, accept: accept, authorization: value)
        }
        switch response.statusCode {
        case 200..<300:
            return (data, response)
        case 401, 403:
            throw RuntimeError.unauthenticated("\(what): \(RegistryClient.errorText(data, status: response.statusCode)) (check the credentials)")
        case 404:
            throw RuntimeError.notFound("\(what) not found: \(RegistryClient.errorText(data, status: 404))")
        default:
            throw RuntimeError.io("\(what): registry answered \(response.statusCode): \(RegistryClient.errorText(data, status: response.statusCode))")
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
            let (data, response) = try await send(tokenURL, accept: "application/json", authorization: credentials.basicHeader)
            guard response.statusCode == 200 else {
                throw RuntimeError.unauthenticated("token server \(tokenURL.host ?? realm) refused: \(response.statusCode) \(RegistryClient.errorText(data, status: response.statusCode))")
            }
            struct Token: Decodable { var token: String?; var access_token: String? }
            guard let token = try? JSONDecoder().decode(Token.self, from: data), let value = token.token ?? token.access_token else {
                throw RuntimeError.unauthenticated("token server returned no token")
            }
            return "Bearer \(value)"
        }
    }

    private func send(_ url: URL, accept: String, authorization: String?) async throws -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: url)
        request.setValue(accept, forHTTPHeaderField: "Accept")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                session.dataTask(with: request) { data, response, error in
                    if let error { return continuation.resume(throwing: error) }
                    guard let http = response as? HTTPURLResponse else {
                        return continuation.resume(throwing: RuntimeError.io("not an HTTP response from \(url)"))
                    }
                    continuation.resume(returning: (data ?? Data(), http))
                }.resume()
            }
        } catch let error as RuntimeError {
            throw error
        } catch {
            let failure = error as NSError
            if failure.domain == NSURLErrorDomain, failure.code == NSURLErrorCancelled, let challenged = challenges.takeChallenge(for: url) {
                return (Data(), challenged)
            }
            throw RuntimeError.unavailable("registry \(url.host ?? "")\(url.port.map { ":\($0)" } ?? "") unreachable: \(failure.localizedDescription) (\(failure.code))")
        }
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
