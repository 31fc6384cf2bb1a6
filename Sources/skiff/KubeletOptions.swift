import ArgumentParser
import Kubelet

/// The kubelet's settings, shared by `skiff server` and `skiff agent`.
struct KubeletOptions: ParsableArguments {
    @Option(help: "This node's name (default: the host name).") var nodeName: String?
    @Option(help: "The address this node reports (default: the first non-loopback IPv4 address).") var nodeIP: String?
    @Option(help: "CRI endpoint the kubelet drives (default: the runtime this process starts; e.g. unix:///run/containerd/containerd.sock).")
    var containerRuntimeEndpoint: String?
    @Option(help: "Kubelet state directory (pod volumes).") var kubeletRootDir = "/var/lib/skiff/kubelet"
    @Option(help: "Directory for container logs.") var podLogsDir = "/var/log/pods"
    @Option(help: "cgroup that holds every pod, by QoS class.") var kubeletCgroupRoot = "/kubepods"
    @Option(help: "Port of the kubelet's HTTPS endpoint (0 turns it off).") var kubeletPort = 10250
    @Option(help: "Address the kubelet's HTTPS endpoint listens on.") var kubeletAddress = "0.0.0.0"
    @Option(help: "Most pods this node runs.") var maxPods = 110
    @Option(help: "A label to register the node with, key=value (repeatable).") var nodeLabel: [String] = []
    @Option(help: "A taint to register the node with, key=value:Effect (repeatable).") var registerWithTaints: [String] = []
    @Option(help: "Route every other node's pod range through that node's address (host-gateway pod networking).")
    var nodeRoutes = true

    func configuration(defaultEndpoint: String) -> KubeletConfiguration {
        var config = KubeletConfiguration(nodeName: nodeName ?? KubeletConfiguration.defaultNodeName, nodeIP: nodeIP ?? NodeAddress.detect())
        config.runtimeEndpoint = containerRuntimeEndpoint ?? defaultEndpoint
        config.rootDirectory = absolute(kubeletRootDir)
        config.podLogsDirectory = absolute(podLogsDir)
        config.cgroupRoot = kubeletCgroupRoot
        config.port = kubeletPort
        config.address = kubeletAddress
        config.maxPods = maxPods
        for label in nodeLabel {
            let kv = label.split(separator: "=", maxSplits: 1).map(String.init)
            config.nodeLabels[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        config.registerTaints = registerWithTaints
        config.managesPodRoutes = nodeRoutes
        return config
    }
}
