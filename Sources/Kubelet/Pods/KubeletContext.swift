import CRI
import KubeAPI
import KubeClient
import Logging

/// What a pod worker needs from the rest of the kubelet; shared by all workers.
struct KubeletContext: Sendable {
    let config: KubeletConfiguration
    let client: KubeClient
    let cri: CRIRuntimeClient
    let observer: RuntimeObserver
    let store: PodStore
    let events: EventSink
    let volumes: VolumeManager
    let csi: CSIVolumeManager
    let handlers: HandlerRunner
    let machine: MachineInfo
    let hostDNS: Runtime_V1_DNSConfig
    let logger: Logger

    func sandboxBuilder(for pod: PodSpecView) -> SandboxConfigBuilder {
        SandboxConfigBuilder(podLogsRoot: config.podLogsDirectory, cgroupParent: cgroupParent(pod), hostDNS: hostDNS)
    }

    /// `/kubepods/pod<uid>` for guaranteed pods, `/kubepods/<qos>/pod<uid>` otherwise.
    func cgroupParent(_ pod: PodSpecView) -> String {
        switch pod.qosClass {
        case .guaranteed: "\(config.cgroupRoot)/pod\(pod.uid)"
        case .burstable: "\(config.cgroupRoot)/burstable/pod\(pod.uid)"
        case .bestEffort: "\(config.cgroupRoot)/besteffort/pod\(pod.uid)"
        }
    }

    /// Fetches objects of a kind by name from a namespace; missing ones are left out.
    func fetch(_ resource: String, namespace: String, names: Set<String>) async -> [String: JSON] {
        var out: [String: JSON] = [:]
        for name in names where !name.isEmpty {
            if let object = try? await client.get("/api/v1/namespaces/\(namespace)/\(resource)/\(name)") { out[name] = object }
        }
        return out
    }
}
