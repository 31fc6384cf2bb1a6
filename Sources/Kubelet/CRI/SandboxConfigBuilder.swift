import CRI
import KubeAPI

/// The CRI PodSandboxConfig for a pod (generatePodSandboxConfig upstream). Pure.
public struct SandboxConfigBuilder: Sendable {
    public var podLogsRoot: String
    /// The pod's cgroup; the runtime makes the sandbox's and containers' groups beneath it.
    public var cgroupParent: String
    /// Used when the pod's DNS policy points at the node's resolver (no cluster DNS here).
    public var hostDNS: Runtime_V1_DNSConfig

    public init(podLogsRoot: String, cgroupParent: String, hostDNS: Runtime_V1_DNSConfig = .init()) {
        self.podLogsRoot = podLogsRoot
        self.cgroupParent = cgroupParent
        self.hostDNS = hostDNS
    }

    /// `/var/log/pods/<namespace>_<name>_<uid>`.
    public func logDirectory(_ pod: PodSpecView) -> String {
        "\(podLogsRoot)/\(pod.namespace)_\(pod.name)_\(pod.uid)"
    }

    public func build(_ pod: PodSpecView, spec: JSON, attempt: UInt32) -> Runtime_V1_PodSandboxConfig {
        .with { c in
            c.metadata = .with {
                $0.name = pod.name
                $0.namespace = pod.namespace
                $0.uid = pod.uid
                $0.attempt = attempt
            }
            let hostname = spec["hostname"]?.string ?? pod.name
            c.hostname = pod.hostNetwork ? "" : String(hostname.prefix(63))
            c.logDirectory = logDirectory(pod)
            c.dnsConfig = hostDNS
            c.labels = pod.labels.merging([
                CRILabels.podName: pod.name, CRILabels.podNamespace: pod.namespace, CRILabels.podUID: pod.uid,
            ]) { _, new in new }
            c.annotations = pod.annotations
            c.portMappings = (pod.initContainers + pod.containers).flatMap(\.ports).compactMap { p in
                guard let hostPort = p.hostPort, hostPort > 0 else { return nil }
                return .with {
                    $0.containerPort = Int32(p.containerPort)
                    $0.hostPort = Int32(hostPort)
                    $0.hostIp = p.hostIP ?? ""
                    $0.protocol = p.protocol == "UDP" ? .udp : p.protocol == "SCTP" ? .sctp : .tcp
                }
            }
            c.linux = .with {
                $0.cgroupParent = cgroupParent
                $0.securityContext = .with {
                    $0.namespaceOptions = Self.namespaces(spec)
                    if let user = spec[path: ["securityContext", "runAsUser"]]?.int { $0.runAsUser = .with { $0.value = user } }
                    if let group = spec[path: ["securityContext", "runAsGroup"]]?.int { $0.runAsGroup = .with { $0.value = group } }
                    $0.supplementalGroups = spec[path: ["securityContext", "supplementalGroups"]]?.array?.compactMap(\.int) ?? []
                }
                for sysctl in spec[path: ["securityContext", "sysctls"]]?.array ?? [] {
                    if let name = sysctl["name"]?.string { $0.sysctls[name] = sysctl["value"]?.string ?? "" }
                }
            }
        }
    }

    static func namespaces(_ spec: JSON) -> Runtime_V1_NamespaceOption {
        .with {
            $0.network = spec["hostNetwork"]?.bool == true ? .node : .pod
            $0.pid = spec["hostPID"]?.bool == true ? .node : spec["shareProcessNamespace"]?.bool == true ? .pod : .container
            $0.ipc = spec["hostIPC"]?.bool == true ? .node : .pod
        }
    }
}
