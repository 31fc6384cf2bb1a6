import Crypto
import Foundation
import KubeAPI
import Testing
@testable import APIServer

struct NodeCredentialsTests {
    let creds = NodeCredentials(secret: Array("secret".utf8), joinToken: "skiff-join.abc")

    @Test func nodeTokensVerifyOnlyForTheirNode() {
        let t = creds.token(forNode: "worker-1")
        #expect(t.hasPrefix("skiff-node.worker-1."))
        #expect(creds.node(forToken: t) == "worker-1")
        let forged = t.replacingOccurrences(of: "worker-1", with: "worker-2")
        #expect(creds.node(forToken: forged) == nil)
        let other = NodeCredentials(secret: Array("other".utf8), joinToken: "x")
        #expect(other.node(forToken: t) == nil)
        #expect(creds.node(forToken: "skiff-node.") == nil)
    }

    @Test func joinToken() {
        #expect(creds.isJoinToken("skiff-join.abc"))
        #expect(!creds.isJoinToken("skiff-join.abd"))
    }
}

struct ServiceAccountTokensTests {
    let issuer = ServiceAccountTokens(key: P256.Signing.PrivateKey())

    func claims(expires: Int64) -> ServiceAccountTokens.Claims {
        .init(namespace: "ns", serviceAccount: "bot", serviceAccountUID: "u1", podName: "p", podUID: "pu",
              audiences: [ServiceAccountTokens.issuer], issuedAt: 1000, expiresAt: expires)
    }

    @Test func issuedTokensVerify() throws {
        let token = try issuer.issue(claims(expires: 5000))
        #expect(token.split(separator: ".").count == 3)
        #expect(issuer.verify(token, now: 2000) == claims(expires: 5000))
    }

    @Test func expiredForeignAndTamperedTokensFail() throws {
        let token = try issuer.issue(claims(expires: 5000))
        #expect(issuer.verify(token, now: 5000) == nil)
        #expect(ServiceAccountTokens(key: P256.Signing.PrivateKey()).verify(token, now: 2000) == nil)
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = ServiceAccountTokens.base64URL(Array(#"{"iss":"x"}"#.utf8))
        #expect(issuer.verify(parts.joined(separator: "."), now: 2000) == nil)
        #expect(issuer.verify(token, now: 2000, audiences: ["other"]) == nil)
    }
}

struct AuthenticatorTests {
    let issuer = ServiceAccountTokens(key: P256.Signing.PrivateKey())
    let account: JSON = ["metadata": ["name": "bot", "namespace": "ns", "uid": "u1"]]

    func token(uid: String = "u1") throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        return try issuer.issue(.init(namespace: "ns", serviceAccount: "bot", serviceAccountUID: uid, podName: nil, podUID: nil,
                                      audiences: [ServiceAccountTokens.issuer], issuedAt: now, expiresAt: now + 3600))
    }

    /// A token names its account, which must still exist with the UID the token was issued for;
    /// repeated requests (answered from the verification cache) keep checking that.
    @Test func serviceAccountTokensNeedTheirAccount() throws {
        let account = self.account
        let auth = Authenticator(tokens: [:], serviceAccounts: issuer) { $0 == "/registry/serviceaccounts/ns/bot" ? account : nil }
        let good = try token()
        for _ in 0..<1000 {
            #expect(try auth.authenticate(authorization: "Bearer \(good)", certificate: nil)?.name == "system:serviceaccount:ns:bot")
        }
        let stale = try token(uid: "u0")
        #expect(throws: StatusError.self) { try auth.authenticate(authorization: "Bearer \(stale)", certificate: nil) }
        let gone = Authenticator(tokens: [:], serviceAccounts: issuer) { _ in nil }
        #expect(throws: StatusError.self) { try gone.authenticate(authorization: "Bearer \(good)", certificate: nil) }
    }
}
