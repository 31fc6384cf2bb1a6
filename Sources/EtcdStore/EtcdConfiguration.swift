/// How to reach an etcd cluster and where in its keyspace this cluster's state lives.
public struct EtcdConfiguration: Sendable {
    /// Client URLs (`http://host:port` or `https://host:port`); calls fail over between them.
    public var endpoints: [String]
    /// Storage keys beginning with `storageRoot` live under `keyPrefix` in etcd instead: with the
    /// defaults (`/registry` → `/registry`) etcd holds the keys exactly as Kubernetes lays them out;
    /// `--datastore-prefix /blue` puts another cluster's `/registry/pods/…` at `/blue/pods/…`.
    public var keyPrefix: String
    public var storageRoot: String
    /// PEM files: the CA that signed the members' certificates, and a client certificate + key.
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// The deadline of every unary call; a member that cannot reach quorum answers within ~7 s.
    public var requestTimeout: Duration

    public init(endpoints: [String], keyPrefix: String = "/registry", storageRoot: String = "/registry",
                caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
                requestTimeout: Duration = .seconds(15)) {
        self.endpoints = endpoints
        self.keyPrefix = keyPrefix
        self.storageRoot = storageRoot
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.requestTimeout = requestTimeout
    }
}
