import Foundation

/// How to run the API server.
public struct APIServerConfiguration: Sendable {
    public var bindAddress = "127.0.0.1"
    public var port = 6443
    /// Holds pki/ and the admin kubeconfig.
    public var dataDir: String
    /// Extra names or addresses the serving certificate must cover.
    public var extraSANs: [String] = []
    public var eventTTL: TimeInterval = 3600
    public var historyWindow: Duration = .seconds(300)
    /// The bearer token the API server presents to kubelets (default: the admin token).
    public var kubeletClientToken: String?
    /// Authorization modes in order, as kube-apiserver's --authorization-mode: Node, RBAC, AlwaysAllow.
    public var authorizationModes: [String] = ["Node", "RBAC"]
    /// Where the audit log goes; nil writes none.
    public var auditLogPath: String?

    public init(dataDir: String) { self.dataDir = dataDir }

    public var kubeconfigPath: String { dataDir + "/admin.kubeconfig" }
    public var defaultAuditLogPath: String { dataDir + "/audit.log" }

    /// The host clients use: the bind address, or loopback when bound to every address.
    public var clientHost: String { bindAddress == "0.0.0.0" || bindAddress == "::" ? "127.0.0.1" : bindAddress }
}
