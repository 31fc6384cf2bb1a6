import Foundation

/// Where an API server is and how to prove who we are to it: the server URL, a bearer token and
/// the CA that signed the server's certificate (PEM; nil trusts the system roots).
public struct KubeClientConfiguration: Sendable {
    public var server: String
    public var token: String
    public var caCertificatePEM: String?
    /// Skips verifying the server's certificate (kubeconfig's insecure-skip-tls-verify).
    public var insecureSkipTLSVerify = false
    /// Sent as User-Agent, so the server's logs say which component called.
    public var userAgent = "skiff"
    /// Deadline for one ordinary request (watches have their own, from timeoutSeconds).
    public var requestTimeout: Duration = .seconds(60)

    public init(server: String, token: String, caCertificatePEM: String? = nil) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
        self.caCertificatePEM = caCertificatePEM
    }
}
