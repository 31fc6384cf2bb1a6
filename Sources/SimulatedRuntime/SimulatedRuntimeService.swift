import CRI
import GRPCCore

/// CRI v1 RuntimeService of a simulated node, on top of `SimulatedNode`. Streaming calls (exec,
/// attach, port-forward) and stats have nothing real behind them and say so.
struct SimulatedRuntimeService: Runtime_V1_RuntimeService.SimpleServiceProtocol {
    let node: SimulatedNode
    static let runtimeName = "skiff-simulated"

    private func run<T>(_ body: () throws(SimulatedError) -> T) throws -> T {
        do { return try body() } catch { throw error.rpcError }
    }

    func version(request: Runtime_V1_VersionRequest, context: ServerContext) async throws -> Runtime_V1_VersionResponse {
        .with {
            $0.version = "0.1.0"
            $0.runtimeName = Self.runtimeName
            $0.runtimeVersion = "0.1.0"
            $0.runtimeApiVersion = "v1"
        }
    }

    func status(request: Runtime_V1_StatusRequest, context: ServerContext) async throws -> Runtime_V1_StatusResponse {
        .with {
            $0.status.conditions = [
                .with { $0.type = "RuntimeReady"; $0.status = true },
                .with { $0.type = "NetworkReady"; $0.status = true },
            ]
        }
    }

    func updateRuntimeConfig(request: Runtime_V1_UpdateRuntimeConfigRequest, context: ServerContext) async throws -> Runtime_V1_UpdateRuntimeConfigResponse {
        .init()
    }

    func runPodSandbox(request: Runtime_V1_RunPodSandboxRequest, context: ServerContext) async throws -> Runtime_V1_RunPodSandboxResponse {
        let id = try run { () throws(SimulatedError) in try node.runSandbox(request.config, handler: request.runtimeHandler) }
        return .with { $0.podSandboxID = id }
    }

    func stopPodSandbox(request: Runtime_V1_StopPodSandboxRequest, context: ServerContext) async throws -> Runtime_V1_StopPodSandboxResponse {
        // Stopping a sandbox that is gone succeeds, as CRI asks.
        do { try node.stopSandbox(request.podSandboxID) } catch .notFound {}
        return .init()
    }

    func removePodSandbox(request: Runtime_V1_RemovePodSandboxRequest, context: ServerContext) async throws -> Runtime_V1_RemovePodSandboxResponse {
        node.removeSandbox(request.podSandboxID)
        return .init()
    }

    func podSandboxStatus(request: Runtime_V1_PodSandboxStatusRequest, context: ServerContext) async throws -> Runtime_V1_PodSandboxStatusResponse {
        let status = try run { () throws(SimulatedError) in try node.sandboxStatus(request.podSandboxID) }
        return .with { $0.status = status }
    }

    func listPodSandbox(request: Runtime_V1_ListPodSandboxRequest, context: ServerContext) async throws -> Runtime_V1_ListPodSandboxResponse {
        .with { $0.items = node.sandboxes(request.filter) }
    }

    func createContainer(request: Runtime_V1_CreateContainerRequest, context: ServerContext) async throws -> Runtime_V1_CreateContainerResponse {
        let id = try run { () throws(SimulatedError) in try node.createContainer(in: request.podSandboxID, request.config) }
        return .with { $0.containerID = id }
    }

    func startContainer(request: Runtime_V1_StartContainerRequest, context: ServerContext) async throws -> Runtime_V1_StartContainerResponse {
        try run { () throws(SimulatedError) in try node.startContainer(request.containerID) }
        return .init()
    }

    func stopContainer(request: Runtime_V1_StopContainerRequest, context: ServerContext) async throws -> Runtime_V1_StopContainerResponse {
        try run { () throws(SimulatedError) in try node.stopContainer(request.containerID) }
        return .init()
    }

    func removeContainer(request: Runtime_V1_RemoveContainerRequest, context: ServerContext) async throws -> Runtime_V1_RemoveContainerResponse {
        node.removeContainer(request.containerID)
        return .init()
    }

    func listContainers(request: Runtime_V1_ListContainersRequest, context: ServerContext) async throws -> Runtime_V1_ListContainersResponse {
        .with { $0.containers = node.containers(request.filter) }
    }

    func containerStatus(request: Runtime_V1_ContainerStatusRequest, context: ServerContext) async throws -> Runtime_V1_ContainerStatusResponse {
        let status = try run { () throws(SimulatedError) in try node.containerStatus(request.containerID) }
        return .with { $0.status = status }
    }

    func updateContainerResources(request: Runtime_V1_UpdateContainerResourcesRequest, context: ServerContext) async throws -> Runtime_V1_UpdateContainerResourcesResponse {
        _ = try run { () throws(SimulatedError) in try node.containerStatus(request.containerID) }
        return .init()
    }

    func reopenContainerLog(request: Runtime_V1_ReopenContainerLogRequest, context: ServerContext) async throws -> Runtime_V1_ReopenContainerLogResponse {
        _ = try run { () throws(SimulatedError) in try node.containerStatus(request.containerID) }
        return .init()
    }

    func execSync(request: Runtime_V1_ExecSyncRequest, context: ServerContext) async throws -> Runtime_V1_ExecSyncResponse {
        guard !request.cmd.isEmpty else { throw RPCError(code: .invalidArgument, message: "exec: empty command") }
        return try run { () throws(SimulatedError) in try node.execSync(request.containerID) }
    }

    func exec(request: Runtime_V1_ExecRequest, context: ServerContext) async throws -> Runtime_V1_ExecResponse {
        throw RPCError(code: .unimplemented, message: "simulated nodes run no processes to exec into")
    }

    func attach(request: Runtime_V1_AttachRequest, context: ServerContext) async throws -> Runtime_V1_AttachResponse {
        throw RPCError(code: .unimplemented, message: "simulated nodes run no processes to attach to")
    }

    func portForward(request: Runtime_V1_PortForwardRequest, context: ServerContext) async throws -> Runtime_V1_PortForwardResponse {
        throw RPCError(code: .unimplemented, message: "simulated nodes have no network to forward to")
    }

    func containerStats(request: Runtime_V1_ContainerStatsRequest, context: ServerContext) async throws -> Runtime_V1_ContainerStatsResponse {
        let status = try run { () throws(SimulatedError) in try node.containerStatus(request.containerID) }
        return .with { $0.stats.attributes = .with { $0.id = status.id; $0.metadata = status.metadata } }
    }

    func listContainerStats(request: Runtime_V1_ListContainerStatsRequest, context: ServerContext) async throws -> Runtime_V1_ListContainerStatsResponse {
        let running = node.containers(.with { $0.state.state = .containerRunning })
        return .with { $0.stats = running.map { c in .with { $0.attributes = .with { $0.id = c.id; $0.metadata = c.metadata } } } }
    }

    func podSandboxStats(request: Runtime_V1_PodSandboxStatsRequest, context: ServerContext) async throws -> Runtime_V1_PodSandboxStatsResponse {
        let status = try run { () throws(SimulatedError) in try node.sandboxStatus(request.podSandboxID) }
        return .with { $0.stats.attributes = .with { $0.id = status.id; $0.metadata = status.metadata; $0.labels = status.labels } }
    }

    func listPodSandboxStats(request: Runtime_V1_ListPodSandboxStatsRequest, context: ServerContext) async throws -> Runtime_V1_ListPodSandboxStatsResponse {
        let ready = node.sandboxes(.with {
            $0.state.state = .sandboxReady
            $0.id = request.filter.id
            $0.labelSelector = request.filter.labelSelector
        })
        return .with { $0.stats = ready.map { s in .with { $0.attributes = .with { $0.id = s.id; $0.metadata = s.metadata; $0.labels = s.labels } } } }
    }
}
