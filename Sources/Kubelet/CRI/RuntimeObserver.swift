import CRI
import Foundation
import GRPCCore

/// Reads the runtime's view of the node's pods (the PLEG's relist): sandboxes and containers
/// grouped by pod UID. Details that never change for an instance (a sandbox's IPs, an exited
/// container's exit) are asked once and kept.
public actor RuntimeObserver {
    private let cri: CRIRuntimeClient
    private var runtimeName: String?
    private var sandboxDetails: [String: (ips: [String], hostNetwork: Bool)] = [:]
    private var containerDetails: [String: (state: Runtime_V1_ContainerState, status: Runtime_V1_ContainerStatus)] = [:]
    /// The last relist, for pods whose sandbox could not be read this time.
    private var lastListed: [String: RuntimePodState] = [:]

    public init(cri: CRIRuntimeClient) { self.cri = cri }

    /// Every pod the runtime has, by UID.
    public func relist() async throws -> [String: RuntimePodState] {
        try await collect(filter: nil)
    }

    /// One pod, fresh.
    public func inspect(podUID: String) async throws -> RuntimePodState {
        try await collect(filter: podUID)[podUID] ?? RuntimePodState()
    }

    public func name() async throws -> String {
        if let runtimeName { return runtimeName }
        let v = try await cri.runtime.version(.with { $0.version = "v1" })
        runtimeName = v.runtimeName
        return v.runtimeName
    }

    private func collect(filter uid: String?) async throws -> [String: RuntimePodState] {
        let scheme = try await name()
        let sandboxes = try await cri.runtime.listPodSandbox(.with {
            if let uid { $0.filter.labelSelector = [CRILabels.podUID: uid] }
        }, options: Self.quick).items
        let containers = try await cri.runtime.listContainers(.with {
            if let uid { $0.filter.labelSelector = [CRILabels.podUID: uid] }
        }, options: Self.quick).containers

        var sandboxesByPod: [String: [RuntimeSandbox]] = [:]
        var unreadable: Set<String> = []
        for s in sandboxes {
            guard let pod = s.labels[CRILabels.podUID] else { continue }
            let ready = s.state == .sandboxReady
            var details = sandboxDetails[s.id]
            if details == nil || (ready && details!.ips.isEmpty && !details!.hostNetwork) {
                do {
                    let status = try await cri.runtime.podSandboxStatus(.with { $0.podSandboxID = s.id }, options: Self.quick).status
                    let ips = ([status.network.ip] + status.network.additionalIps.map(\.ip)).filter { !$0.isEmpty }
                    details = (ips, status.linux.namespaces.options.network == .node)
                    sandboxDetails[s.id] = details
                } catch {
                    // A ready sandbox whose address could not be read must not look like one
                    // without an address: that would have the pod's sandbox replaced. Reading
                    // one pod, that read fails (its worker keeps its last view and asks again);
                    // in a relist, the pod keeps what the last relist saw.
                    if ready {
                        if uid != nil { throw error }
                        unreadable.insert(pod)
                    }
                }
            }
            sandboxesByPod[pod, default: []].append(RuntimeSandbox(
                id: s.id, attempt: s.metadata.attempt, state: ready ? .ready : .notReady, ips: details?.ips ?? [],
                hostNetwork: details?.hostNetwork ?? false, createdAt: Self.date(s.createdAt)))
        }

        var containersByPod: [String: [RuntimeContainer]] = [:]
        for c in containers {
            guard let pod = c.labels[CRILabels.podUID] else { continue }
            var status = containerDetails[c.id]?.status
            if status == nil || containerDetails[c.id]?.state != c.state {
                status = try? await cri.runtime.containerStatus(.with { $0.containerID = c.id }, options: Self.quick).status
                if var s = status, s.state == .containerExited {
                    // Read once: an exited instance's message never changes.
                    s.message = TerminationMessage.message(
                        status: s, path: s.annotations[CRILabels.terminationMessagePath] ?? "",
                        policy: s.annotations[CRILabels.terminationMessagePolicy] ?? "File")
                    status = s
                }
                if let status { containerDetails[c.id] = (status.state, status) }
            }
            let st = status ?? .with { $0.state = c.state; $0.createdAt = c.createdAt }
            let state: RuntimeContainer.State = switch st.state {
            case .containerCreated: .created
            case .containerRunning: .running
            case .containerExited: .exited
            default: .unknown
            }
            let annotations = c.annotations
            containersByPod[pod, default: []].append(RuntimeContainer(
                id: c.id, runtimeName: scheme, name: c.labels[CRILabels.containerName] ?? c.metadata.name,
                attempt: Int(annotations[CRILabels.restartCount] ?? "") ?? Int(c.metadata.attempt), state: state,
                exitCode: st.exitCode, reason: st.reason, message: st.message, createdAt: Self.date(c.createdAt),
                startedAt: st.startedAt > 0 ? Self.date(st.startedAt) : nil,
                finishedAt: st.finishedAt > 0 ? Self.date(st.finishedAt) : nil,
                image: c.image.userSpecifiedImage.isEmpty ? c.image.image : c.image.userSpecifiedImage,
                imageRef: c.imageRef, specHash: (annotations[CRILabels.containerHash]).flatMap { UInt32($0, radix: 16) }))
        }

        // Forget details of instances that are gone.
        let liveSandboxes = Set(sandboxes.map(\.id)), liveContainers = Set(containers.map(\.id))
        if uid == nil {
            sandboxDetails = sandboxDetails.filter { liveSandboxes.contains($0.key) }
            containerDetails = containerDetails.filter { liveContainers.contains($0.key) }
        }
        var out: [String: RuntimePodState] = [:]
        for pod in Set(sandboxesByPod.keys).union(containersByPod.keys) {
            out[pod] = RuntimePodState(
                sandboxes: (sandboxesByPod[pod] ?? []).sorted { $0.createdAt > $1.createdAt },
                containers: containersByPod[pod] ?? [])
        }
        if uid == nil {
            for pod in unreadable { if let last = lastListed[pod] { out[pod] = last } }
            lastListed = out
        }
        return out
    }

    /// Reads answer quickly or not at all: a stuck call must not stall the relist.
    static let quick = CRIRuntimeClient.options(timeout: .seconds(10))

    static func date(_ nanos: Int64) -> Date { Date(timeIntervalSince1970: Double(nanos) / 1e9) }
}
