import ArgumentParser
import ContainerRuntime
import Foundation

/// The container runtime's settings, shared by `skiff runtime` and the runtime that
/// `skiff server` runs in-process.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "CRI socket path.") var listen = "/run/skiff/cri.sock"
    @Option(help: "Volatile state directory.") var stateDir = "/run/skiff/runtime"
    @Option(help: "Persistent state directory (images, records, writable layers).") var rootDir = "/var/lib/skiff/runtime"
    @Option(help: "CNI configuration directory.") var cniConfDir = "/etc/cni/net.d"
    @Option(help: "CNI plugin directory (repeatable).") var cniBinDir: [String] = []
    @Option(help: "Subnet of the default bridge network written when no CNI config exists.") var podSubnet = "10.88.0.0/16"
    @Option(help: "Bridge name of the default network.") var bridge = "skiff0"
    @Option(help: "Registry endpoint override, DOMAIN=URL[,URL] (repeatable), e.g. docker.io=http://127.0.0.1:5000.")
    var registryMirror: [String] = []
    @Option(help: "Registry host configuration directory, as containerd's config_path: <dir>/<host>/hosts.toml and <dir>/_default/hosts.toml (read only if present).")
    var registryConfigDir = "/etc/skiff/certs.d"
    @Option(help: "cgroup under which pods without a cgroup parent are placed.") var cgroupRoot = "/skiff"
    @Option(help: "Most processes each container may have (pids.max); 0 for no limit.") var pidsLimit: Int64 = 0
    @Option(help: "Address of the streaming server (exec, attach, port-forward URLs).") var streamAddress = "127.0.0.1"
    @Option(help: "Port of the streaming server; 0 picks a free port.") var streamPort = 0

    func configuration() throws -> RuntimeConfiguration {
        var config = RuntimeConfiguration()
        config.listenPath = absolute(listen)
        config.stateDirectory = absolute(stateDir)
        config.rootDirectory = absolute(rootDir)
        config.cniConfigDirectory = absolute(cniConfDir)
        if !cniBinDir.isEmpty { config.cniPluginDirectories = cniBinDir }
        config.defaultPodSubnet = podSubnet
        config.defaultBridgeName = bridge
        config.registryHosts = try RegistryHosts(parsing: registryMirror, configDirectory: absolute(registryConfigDir))
        config.cgroupRoot = cgroupRoot
        config.pidsLimit = pidsLimit
        config.streamAddress = streamAddress
        config.streamPort = streamPort
        return config
    }
}

/// Paths given relative to where skiff was started; processes it spawns run elsewhere.
func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}
