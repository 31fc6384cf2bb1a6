import CRI
import Foundation
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

    /// A token for the pod's service account, bound to the pod (TokenRequest).
    func requestToken(_ pod: PodSpecView, _ r: ServiceAccountTokenCache.Request) async throws -> ServiceAccountTokenCache.Token {
        var spec = JSONObject([("expirationSeconds", .int(r.expirationSeconds)),
                               ("boundObjectRef", .object(JSONObject([("kind", "Pod"), ("apiVersion", "v1"),
                                                                      ("name", .string(pod.name)), ("uid", .string(pod.uid))])))])
        if !r.audience.isEmpty { spec["audiences"] = .array([.string(r.audience)]) }
        let account = pod.serviceAccountName.isEmpty ? "default" : pod.serviceAccountName
        let response = try await client.create("/api/v1/namespaces/\(pod.namespace)/serviceaccounts/\(account)/token",
                                                .object(JSONObject([("apiVersion", "authentication.k8s.io/v1"), ("kind", "TokenRequest"),
                                                                    ("spec", .object(spec))])))
        guard let token = response[path: ["status", "token"]]?.string else { throw KubeletTokenError.noToken }
        let expires = Timestamp.parse(response[path: ["status", "expirationTimestamp"]]?.string)
            ?? Date().addingTimeInterval(TimeInterval(r.expirationSeconds))
        return .init(value: token, issued: Date(), expires: expires)
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

enum KubeletTokenError: Error { case noToken }
