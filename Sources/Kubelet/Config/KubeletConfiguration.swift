import Foundation

/// How a kubelet is set up: its node, where its runtime and files are, and Kubernetes' intervals.
public struct KubeletConfiguration: Sendable {
    public var nodeName: String
    /// `unix:///run/skiff/cri.sock` (ours) or containerd's socket.
    public var runtimeEndpoint = "unix:///run/skiff/cri.sock"
    /// Pod directories (volumes) live under here.
    public var rootDirectory = "/var/lib/skiff/kubelet"
    public var podLogsDirectory = "/var/log/pods"
    /// Where plugins (CSI drivers) put their registration sockets: `<root>/plugins_registry`.
    public var pluginRegistryDirectory: String { rootDirectory + "/plugins_registry" }
    /// Whether this kubelet provisions the late-binding claims selected for its node through
    /// the drivers registered here (off where the PV controller has this node's driver itself).
    public var provisionsVolumes = true
    /// The cgroup holding all pods: `<root>/<qos>/pod<uid>` (guaranteed pods directly under it).
    public var cgroupRoot = "/kubepods"
    /// The node's address, reported in the Node and as every pod's hostIP.
    public var nodeIP: String
    public var maxPods = 110
    /// The capacity to report instead of this machine's (simulated nodes).
    public var machine: MachineInfo?
    /// Watch `pluginRegistryDirectory` for CSI drivers (off for simulated nodes: no inotify per node).
    public var watchPlugins = true
    /// How long pod work waits at start for the control plane to give this node a pod range
    /// (handed to the runtime before the first sandbox); zero for no wait.
    public var podCIDRWait: Duration = .seconds(5)
    /// Route every other node's pod range through that node's address (host-gateway networking).
    public var managesPodRoutes = true
    /// Node labels added at registration, besides the well-known ones.
    public var nodeLabels: [String: String] = [:]
    /// Taints a node registers with (`--register-with-taints`).
    public var registerTaints: [String] = []
    /// Address and port of the kubelet's HTTPS endpoint (logs, exec); port 0 turns it off.
    public var address = "0.0.0.0"
    public var port = 10250
    /// The endpoint's serving certificate and key (PEM); without them it is not served.
    public var tlsCertificatePEM: String?
    public var tlsKeyPEM: String?
    /// Bearer tokens allowed to read logs and exec (the API server's credential for kubelets).
    public var authorizedTokens: Set<String> = []
    /// Where pods reach the API server: the `kubernetes` service's KUBERNETES_SERVICE_HOST/PORT
    /// variables every container gets (unset: none).
    public var apiServerHost: String?
    public var apiServerPort: Int?
    public var syncFrequency: Duration = .seconds(60)
    public var relistPeriod: Duration = .seconds(1)
    public var nodeStatusUpdateFrequency: Duration = .seconds(10)
    public var nodeStatusReportFrequency: Duration = .seconds(300)
    public var leaseDuration: Int = 40
    public var leaseRenewInterval: Duration = .seconds(10)

    public init(nodeName: String, nodeIP: String) {
        self.nodeName = nodeName
        self.nodeIP = nodeIP
    }

    /// The host's name, lowercased, as a node name.
    public static var defaultNodeName: String {
        ProcessInfo.processInfo.hostName.lowercased().split(separator: ".").first.map(String.init) ?? "node"
    }
}
