import Crypto
import Foundation
import KubeAPI

/// Service-account tokens: JWTs signed with the cluster's ES256 key, carrying the claims
/// Kubernetes' bound tokens carry (issuer, subject, audiences, expiry, and the service account
/// and pod they are bound to).
public struct ServiceAccountTokens: Sendable {
    public static let issuer = "https://kubernetes.default.svc.cluster.local"
    /// The signing key's raw representation (Crypto's key types are not Sendable).
    let keyBytes: [UInt8]
    let keyID: String
    var key: P256.Signing.PrivateKey { try! P256.Signing.PrivateKey(rawRepresentation: keyBytes) }

    public struct Claims: Sendable, Equatable {
        public var namespace: String
        public var serviceAccount: String
        public var serviceAccountUID: String
        public var podName: String?
        public var podUID: String?
        public var audiences: [String]
        public var issuedAt: Int64
        public var expiresAt: Int64

        public init(namespace: String, serviceAccount: String, serviceAccountUID: String, podName: String? = nil,
                    podUID: String? = nil, audiences: [String], issuedAt: Int64, expiresAt: Int64) {
            self.namespace = namespace
            self.serviceAccount = serviceAccount
            self.serviceAccountUID = serviceAccountUID
            self.podName = podName
            self.podUID = podUID
            self.audiences = audiences
            self.issuedAt = issuedAt
            self.expiresAt = expiresAt
        }
    }

    public init(key: P256.Signing.PrivateKey) {
        self.keyBytes = Array(key.rawRepresentation)
        let digest = SHA256.hash(data: key.publicKey.derRepresentation)
        self.keyID = Self.base64URL(Array(digest))
    }

    /// Reads `pki/sa.key` under `dir`, creating it the first time.
    public static func loadOrCreate(dir: String) throws -> ServiceAccountTokens {
        let path = dir + "/pki/sa.key"
        if let pem = try? String(contentsOfFile: path, encoding: .utf8) {
            return ServiceAccountTokens(key: try P256.Signing.PrivateKey(pemRepresentation: pem))
        }
        try FileManager.default.createDirectory(atPath: dir + "/pki", withIntermediateDirectories: true)
        let key = P256.Signing.PrivateKey()
        try key.pemRepresentation.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return ServiceAccountTokens(key: key)
    }

    public func issue(_ c: Claims) throws -> String {
        let header: JSON = ["alg": "ES256", "kid": .string(keyID)]
        var k8s = JSONObject([("namespace", .string(c.namespace)),
                              ("serviceaccount", ["name": .string(c.serviceAccount), "uid": .string(c.serviceAccountUID)])])
        if let pod = c.podName { k8s["pod"] = ["name": .string(pod), "uid": .string(c.podUID ?? "")] }
        let payload: JSON = .object(JSONObject([
            ("aud", .array(c.audiences.map { .string($0) })), ("exp", .int(c.expiresAt)), ("iat", .int(c.issuedAt)),
            ("iss", .string(Self.issuer)), ("kubernetes.io", .object(k8s)), ("nbf", .int(c.issuedAt)),
            ("sub", .string("system:serviceaccount:\(c.namespace):\(c.serviceAccount)")),
        ]))
        let signingInput = Self.base64URL(header.bytes) + "." + Self.base64URL(payload.bytes)
        let signature = try key.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Self.base64URL(Array(signature.rawRepresentation))
    }

    /// The claims of a token this cluster signed that is valid at `now` for one of `audiences`
    /// (any audience when empty); nil otherwise. Whether the objects still exist is the caller's check.
    public func verify(_ token: String, now: Int64, audiences: [String] = []) -> Claims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let sig = Self.decodeBase64URL(parts[2]),
              let signature = try? P256.Signing.ECDSASignature(rawRepresentation: sig),
              key.publicKey.isValidSignature(signature, for: Array((parts[0] + "." + parts[1]).utf8)),
              let body = Self.decodeBase64URL(parts[1]), let payload = try? JSONParser.parse(body),
              payload["iss"]?.string == Self.issuer,
              let exp = payload["exp"]?.int, exp > now,
              let k8s = payload["kubernetes.io"], let ns = k8s["namespace"]?.string,
              let sa = k8s[path: ["serviceaccount", "name"]]?.string else { return nil }
        if let nbf = payload["nbf"]?.int, nbf > now + 60 { return nil }
        let aud = payload["aud"]?.array?.compactMap(\.string) ?? payload["aud"]?.string.map { [$0] } ?? []
        if !audiences.isEmpty, !aud.contains(where: audiences.contains) { return nil }
        return Claims(namespace: ns, serviceAccount: sa, serviceAccountUID: k8s[path: ["serviceaccount", "uid"]]?.string ?? "",
                      podName: k8s[path: ["pod", "name"]]?.string, podUID: k8s[path: ["pod", "uid"]]?.string,
                      audiences: aud, issuedAt: payload["iat"]?.int ?? 0, expiresAt: exp)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ s: Substring) -> [UInt8]? {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        return Data(base64Encoded: t).map { Array($0) }
    }
}
