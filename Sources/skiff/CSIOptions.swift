import ArgumentParser
import CSIDriver
import Kubelet

/// The in-process host-path CSI driver of `skiff server` and `skiff agent`.
struct CSIOptions: ParsableArguments {
    @Flag(help: "Do not run the host-path CSI driver in this process.") var disableCSI = false
    @Option(help: "Directory the host-path CSI driver keeps volumes in (server default: <data-dir>/csi-hostpath).")
    var csiStateDir: String?

    /// The driver next to a kubelet: its socket under `<kubelet root>/plugins/<driver>/`, its
    /// registration socket in the kubelet's plugin registry.
    func configuration(kubelet: KubeletConfiguration, defaultStateDir: String) -> HostPathConfiguration {
        let name = HostPathConfiguration.defaultDriverName
        let socket = HostPathConfiguration.fitting("\(kubelet.rootDirectory)/plugins/\(name)/csi.sock",
                                                   short: "\(kubelet.rootDirectory)/plugins/hostpath-csi.sock")
        var c = HostPathConfiguration(nodeID: kubelet.nodeName, stateDirectory: absolute(csiStateDir ?? defaultStateDir),
                                      endpoint: "unix://" + socket)
        c.registrationDirectory = kubelet.pluginRegistryDirectory
        return c
    }
}
