/// Where the runtime keeps its state and which tools it drives. Every path is overridable so
/// tests run in temporary directories.
public struct RuntimeConfiguration: Sendable {
    /// The CRI socket.
    public var listenPath = "/run/skiff/cri.sock"
    /// Volatile state: OCI runtime root, exit files, network namespaces, monitor sockets.
    public var stateDirectory = "/run/skiff/runtime"
    /// Persistent state: images, layers, sandbox and container records, writable layers.
    public var rootDirectory = "/var/lib/skiff/runtime"
    public var cniConfigDirectory = "/etc/cni/net.d"
    public var cniPluginDirectories = ["/usr/lib/cni", "/opt/cni/bin"]
    /// The subnet of the default bridge network written when `cniConfigDirectory` has none.
    public var defaultPodSubnet = "10.88.0.0/16"
    public var defaultBridgeName = "skiff0"
    public var registryHosts = RegistryHosts()
    /// OCI runtimes by CRI runtime handler; the empty handler means `defaultRuntimeHandler`.
    public var runtimes = ["runc": "/usr/sbin/runc", "crun": "/usr/bin/crun"]
    public var defaultRuntimeHandler = "runc"
    public var conmonPath = "/usr/bin/conmon"
    /// The cgroup under which sandboxes without a `cgroup_parent` get their group.
    public var cgroupRoot = "/skiff"
    /// pids.max of every container (CRI-O's pids_limit); 0 leaves it unlimited, as Kubernetes does by default.
    public var pidsLimit: Int64 = 0
    /// Where the streaming server (exec, attach, port forward URLs) listens; port 0 picks a free one.
    public var streamAddress = "127.0.0.1"
    public var streamPort = 0

    public init() {}

    func runtimePath(handler: String) throws -> String {
        let name = handler.isEmpty ? defaultRuntimeHandler : handler
        guard let path = runtimes[name] else { throw RuntimeError.invalidArgument("unknown runtime handler \"\(handler)\"") }
        return path
    }
}
