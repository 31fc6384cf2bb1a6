/// How a host-path CSI driver is set up: its name, the node it serves, where volumes live and
/// where it listens.
public struct HostPathConfiguration: Sendable {
    public static let defaultDriverName = "hostpath.csi.skiff.dev"
    /// The topology segment every volume and node carries: volumes live on one node's disk.
    public static let topologyKey = "topology.hostpath.csi.skiff.dev/node"

    public var driverName = HostPathConfiguration.defaultDriverName
    public var vendorVersion = "0.1.0"
    public var nodeID: String
    /// Volumes are directories under `<stateDirectory>/volumes`; node records under `node/`.
    public var stateDirectory: String
    /// The CSI socket (a path, or `unix:///path`).
    public var endpoint: String
    /// Where the kubelet's plugin watcher looks (`<kubelet root>/plugins_registry`); nil serves no
    /// registration socket.
    public var registrationDirectory: String?
    /// Capacity of a volume whose request names none.
    public var defaultVolumeBytes: Int64 = 1 << 30
    /// Volumes this node may hold (NodeGetInfo's max_volumes_per_node; 0 = no limit).
    public var maxVolumesPerNode: Int64 = 0
    /// Test only: calls held half-done for `pauseDuration` (see `HostPathPause`).
    public var pauses: Set<HostPathPause> = []
    public var pauseDuration: Duration = .seconds(60)

    public init(nodeID: String, stateDirectory: String, endpoint: String) {
        self.nodeID = nodeID
        self.stateDirectory = stateDirectory
        self.endpoint = endpoint
    }

    public var socketPath: String { Self.path(of: endpoint) }

    /// The topology of this node's volumes (NodeGetInfo's and every volume's).
    public var topologySegments: [String: String] { [Self.topologyKey: nodeID] }

    /// `<dir>/<driver>-reg.sock`, the name node-driver-registrar uses, or a shorter one when that
    /// would not fit a unix socket address (103 bytes): the plugin watcher takes any `*.sock`.
    public var registrationSocketPath: String? {
        registrationDirectory.map { Self.fitting("\($0)/\(driverName)-reg.sock", short: "\($0)/\(shortName)-reg.sock") }
    }

    /// The driver name's first label ("hostpath"), for socket names that must be short.
    public var shortName: String { driverName.split(separator: ".").first.map(String.init) ?? driverName }

    public static let maxSocketPath = 103

    public static func fitting(_ preferred: String, short: String) -> String {
        preferred.utf8.count <= maxSocketPath ? preferred : short
    }

    public static func path(of endpoint: String) -> String {
        endpoint.hasPrefix("unix://") ? String(endpoint.dropFirst("unix://".count)) : endpoint
    }
}
