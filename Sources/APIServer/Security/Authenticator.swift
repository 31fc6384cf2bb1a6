import Foundation
import KubeAPI
import Synchronization
import X509

/// Finds who a request comes from, in Kubernetes' order: a client certificate signed by the
/// cluster CA (user from CN, groups from O), then the bearer token: a static token (the admin's),
/// a node token, the join token, or a service-account JWT whose account (and pod, when bound)
/// still exists with the same UID.
public final class Authenticator: Sendable {
    private let tokens: Mutex<[String: UserInfo]>
    let nodes: NodeCredentials?
    let serviceAccounts: ServiceAccountTokens?
    /// The object at a storage key, for checking that a token's service account and pod still exist.
    /// Fixed at init: a bare closure kept in a `Mutex` is wrapped in two more reabstraction
    /// thunks on every `withLock` (the inout value is converted in and back out), so calling it
    /// got slower with every request until the stack overflowed.
    let lookup: (@Sendable (String) -> JSON?)?
    /// Signatures already checked, for 10 s (as kube-apiserver caches token authentication), so a
    /// busy client does not pay for an ECDSA verification on every request.
    private let verified = Mutex<[String: (claims: ServiceAccountTokens.Claims, at: Date)]>([:])

    public static let bootstrapUser = UserInfo(name: "system:bootstrap:skiff", groups: ["system:bootstrappers", UserInfo.authenticatedGroup])

    public init(tokens: [String: UserInfo], nodes: NodeCredentials? = nil, serviceAccounts: ServiceAccountTokens? = nil,
                lookup: (@Sendable (String) -> JSON?)? = nil) {
        self.tokens = Mutex(tokens)
        self.nodes = nodes
        self.serviceAccounts = serviceAccounts
        self.lookup = lookup
    }

    public func add(token: String, user: UserInfo) { tokens.withLock { $0[token] = user } }

    /// The user, or nil when the request carries no credentials; throws 401 for credentials that are wrong.
    public func authenticate(authorization: String?, certificate: Certificate?) throws(StatusError) -> UserInfo? {
        if let certificate, let user = Self.user(from: certificate) { return user }
        guard let h = authorization else { return nil }
        guard h.count > 7, h.prefix(7).lowercased() == "bearer " else { throw .unauthorized }
        let token = h.dropFirst(7).trimmingCharacters(in: .whitespaces)
        if let user = tokens.withLock({ $0[token] }) { return user }
        if let nodes {
            if let node = nodes.node(forToken: token) { return .node(node) }
            if nodes.isJoinToken(token) { return Self.bootstrapUser }
        }
        if let serviceAccounts, let user = serviceAccount(token, serviceAccounts) { return user }
        throw .unauthorized
    }

    private func serviceAccount(_ token: String, _ issuer: ServiceAccountTokens) -> UserInfo? {
        let now = Date()
        let cached = verified.withLock { v -> ServiceAccountTokens.Claims? in
            guard let hit = v[token], now.timeIntervalSince(hit.at) < 10, hit.claims.expiresAt > Int64(now.timeIntervalSince1970) else { return nil }
            return hit.claims
        }
        guard let c = cached ?? issuer.verify(token, now: Int64(now.timeIntervalSince1970)) else { return nil }
        if cached == nil {
            verified.withLock { v in
                if v.count >= 4096 { v.removeAll(keepingCapacity: true) }
                v[token] = (c, now)
            }
        }
        if let lookup {
            guard let sa = lookup("/registry/serviceaccounts/\(c.namespace)/\(c.serviceAccount)"),
                  c.serviceAccountUID.isEmpty || sa[path: ["metadata", "uid"]]?.string == c.serviceAccountUID else { return nil }
            if let pod = c.podName {
                guard let p = lookup("/registry/pods/\(c.namespace)/\(pod)"),
                      c.podUID == nil || p[path: ["metadata", "uid"]]?.string == c.podUID,
                      p[path: ["metadata", "deletionTimestamp"]] == nil else { return nil }
            }
        }
        var user = UserInfo.serviceAccount(namespace: c.namespace, name: c.serviceAccount, uid: c.serviceAccountUID)
        if let pod = c.podName {
            user.extra["authentication.kubernetes.io/pod-name"] = [pod]
            if let uid = c.podUID { user.extra["authentication.kubernetes.io/pod-uid"] = [uid] }
        }
        return user
    }

    /// CN is the user, each O a group, as Kubernetes' x509 authenticator reads them.
    static func user(from certificate: Certificate) -> UserInfo? {
        var cn: String?
        var groups: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn {
                if attribute.type == .RDNAttributeType.commonName { cn = String(attribute.value) }
                if attribute.type == .RDNAttributeType.organizationName, let o = String(attribute.value) { groups.append(o) }
            }
        }
        guard let name = cn, !name.isEmpty else { return nil }
        if !groups.contains(UserInfo.authenticatedGroup) { groups.append(UserInfo.authenticatedGroup) }
        return UserInfo(name: name, groups: groups)
    }
}
