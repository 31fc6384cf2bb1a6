import CRI
import Foundation
import GRPCCore

/// CRI v1 RuntimeService on top of `NodeRuntime`.
struct CRIRuntimeService: Runtime_V1_RuntimeService.SimpleServiceProtocol {
    let runtime: NodeRuntime
    static let runtimeName = "skiff"
    static let runtimeVersion = "0.1.0"
    static let apiVersion = "v1"

    func version(request: Runtime_V1_VersionRequest, context: ServerContext) async throws -> Runtime_V1_VersionResponse {
        .with {
            $0.version = "0.1.0"
            $0.runtimeName = CRIRuntimeService.runtimeName
            $0.runtimeVersion = CRIRuntimeService.runtimeVersion
            $0.runtimeApiVersion = CRIRuntimeService.apiVersion
        }
    }

    func status(request: Runtime_V1_StatusRequest, context: ServerContext) async throws -> Runtime_V1_StatusResponse {
        let network = runtime.sandboxes.network.readiness()
        let runtimeReady = FileManager.default.isExecutableFile(atPath: (try? runtime.configuration.runtimePath(handler: "")) ?? "")
            && FileManager.default.isExecutableFile(atPath: runtime.configuration.conmonPath)
        return .with {
            $0.status.conditions = [
                .with {
                    $0.type = "RuntimeReady"
                    $0.status = runtimeReady
                    if !runtimeReady { $0.reason = "RuntimeMissing"; $0.message = "OCI runtime or conmon not installed" }
                },
                .with {
                    $0.type = "NetworkReady"
                    $0.status = network.ready
                    if !network.ready { $0.reason = "NetworkPluginNotReady"; $0.message = network.message }
                },
            ]
            $0.runtimeHandlers = runtime.configuration.runtimes.keys.sorted().map { name in .with { $0.name = name } }
        }
    }

    func updateRuntimeConfig(request: Runtime_V1_UpdateRuntimeConfigRequest, context: ServerContext) async throws -> Runtime_V1_UpdateRuntimeConfigResponse {
        let podCIDR = request.runtimeConfig.networkConfig.podCidr
        guard !podCIDR.isEmpty else { return .init() }
        return try await translate {
            switch try runtime.sandboxes.network.apply(podCIDR: podCIDR) {
            case .written(let subnet):
                runtime.logger.info("pod network uses the node's pod range", metadata: ["subnet": "\(subnet)"])
            case .notOurs(let file):
                runtime.logger.notice("pod range not applied: the CNI config in use is not the runtime's", metadata: ["file": "\(file)", "podCIDR": "\(podCIDR)"])
            case .noIPv4:
                runtime.logger.notice("pod range has no IPv4 network", metadata: ["podCIDR": "\(podCIDR)"])
            case .unchanged:
                break
            }
            return .init()
        }
    }

    func runPodSandbox(request: Runtime_V1_RunPodSandboxRequest, context: ServerContext) async throws -> Runtime_V1_RunPodSandboxResponse {
        try await translate {
            _ = try runtime.configuration.runtimePath(handler: request.runtimeHandler)
            let id = try await runtime.sandboxes.run(request.config, handler: request.runtimeHandler)
            return .with { $0.podSandboxID = id }
        }
    }

    func stopPodSandbox(request: Runtime_V1_StopPodSandboxRequest, context: ServerContext) async throws -> Runtime_V1_StopPodSandboxResponse {
        try await translate {
            try await runtime.stopSandbox(request.podSandboxID)
            return .init()
        }
    }

    func removePodSandbox(request: Runtime_V1_RemovePodSandboxRequest, context: ServerContext) async throws -> Runtime_V1_RemovePodSandboxResponse {
        try await translate {
            try await runtime.removeSandbox(request.podSandboxID)
            return .init()
        }
    }

    func podSandboxStatus(request: Runtime_V1_PodSandboxStatusRequest, context: ServerContext) async throws -> Runtime_V1_PodSandboxStatusResponse {
        try await translate {
            let sandbox = try await runtime.sandbox(request.podSandboxID)
            return .with {
                $0.status = sandbox.criStatus
                if request.verbose, let result = sandbox.cniResult { $0.info = ["cniResult": String(decoding: result, as: UTF8.self)] }
            }
        }
    }

    func listPodSandbox(request: Runtime_V1_ListPodSandboxRequest, context: ServerContext) async throws -> Runtime_V1_ListPodSandboxResponse {
        let filter = request.filter
        let items = await runtime.sandboxes.store.all()
            .filter { filter.id.isEmpty || $0.id.hasPrefix(filter.id) }
            .filter { !filter.hasState || $0.criState == filter.state.state }
            .map(\.criSandbox)
            .filter { matches($0.labels, selector: filter.labelSelector) }
            .sorted { $0.createdAt < $1.createdAt }
        return .with { $0.items = items }
    }

    func createContainer(request: Runtime_V1_CreateContainerRequest, context: ServerContext) async throws -> Runtime_V1_CreateContainerResponse {
        try await translate {
            let id = try await runtime.createContainer(in: request.podSandboxID, config: request.config)
            return .with { $0.containerID = id }
        }
    }

    func startContainer(request: Runtime_V1_StartContainerRequest, context: ServerContext) async throws -> Runtime_V1_StartContainerResponse {
        try await translate {
            try await runtime.containers.start(try await runtime.containers.get(request.containerID).id)
            return .init()
        }
    }

    func stopContainer(request: Runtime_V1_StopContainerRequest, context: ServerContext) async throws -> Runtime_V1_StopContainerResponse {
        try await translate {
            try await runtime.containers.stop(try await runtime.containers.get(request.containerID).id, timeout: .seconds(request.timeout))
            return .init()
        }
    }

    func removeContainer(request: Runtime_V1_RemoveContainerRequest, context: ServerContext) async throws -> Runtime_V1_RemoveContainerResponse {
        try await translate {
            if let id = await runtime.containers.store.resolve(request.containerID) { try await runtime.containers.remove(id) }
            return .init()
        }
    }

    func listContainers(request: Runtime_V1_ListContainersRequest, context: ServerContext) async throws -> Runtime_V1_ListContainersResponse {
        try await translate {
            let filter = request.filter
            let containers = try await runtime.containers.all()
                .filter { filter.id.isEmpty || $0.id.hasPrefix(filter.id) }
                .filter { filter.podSandboxID.isEmpty || $0.sandboxID.hasPrefix(filter.podSandboxID) }
                .map { $0.criContainer(runtime.containers.phase($0)) }
                .filter { !filter.hasState || $0.state == filter.state.state }
                .filter { matches($0.labels, selector: filter.labelSelector) }
                .sorted { $0.createdAt < $1.createdAt }
            return .with { $0.containers = containers }
        }
    }

    func containerStatus(request: Runtime_V1_ContainerStatusRequest, context: ServerContext) async throws -> Runtime_V1_ContainerStatusResponse {
        try await translate {
            let record = try await runtime.containers.observe(try await runtime.containers.get(request.containerID))
            return .with {
                $0.status = record.criStatus(runtime.containers.phase(record))
                if request.verbose { $0.info = ["bundle": record.bundle, "cgroupsPath": record.cgroupsPath] }
            }
        }
    }

    func updateContainerResources(request: Runtime_V1_UpdateContainerResourcesRequest, context: ServerContext) async throws -> Runtime_V1_UpdateContainerResourcesResponse {
        try await translate {
            try await runtime.containers.update(try await runtime.containers.get(request.containerID).id, resources: request.linux)
            return .init()
        }
    }

    func reopenContainerLog(request: Runtime_V1_ReopenContainerLogRequest, context: ServerContext) async throws -> Runtime_V1_ReopenContainerLogResponse {
        try await translate {
            try await runtime.containers.reopenLog(request.containerID)
            return .init()
        }
    }

    func execSync(request: Runtime_V1_ExecSyncRequest, context: ServerContext) async throws -> Runtime_V1_ExecSyncResponse {
        try await translate {
            guard !request.cmd.isEmpty else { throw RuntimeError.invalidArgument("exec: empty command") }
            let result = try await runtime.containers.execSync(
                try await runtime.containers.get(request.containerID).id, command: request.cmd,
                timeout: request.timeout > 0 ? .seconds(request.timeout) : nil)
            return .with {
                $0.stdout = result.stdout
                $0.stderr = result.stderr
                $0.exitCode = result.status
            }
        }
    }

    func exec(request: Runtime_V1_ExecRequest, context: ServerContext) async throws -> Runtime_V1_ExecResponse {
        try await translate {
            guard !request.cmd.isEmpty else { throw RuntimeError.invalidArgument("exec: empty command") }
            try StreamRequest.validate(stdin: request.stdin, stdout: request.stdout, stderr: request.stderr, tty: request.tty)
            var stored = request
            stored.containerID = try await runningContainer(request.containerID).id
            let url = try runtime.streams.url(for: .exec(stored))
            return .with { $0.url = url }
        }
    }

    func attach(request: Runtime_V1_AttachRequest, context: ServerContext) async throws -> Runtime_V1_AttachResponse {
        try await translate {
            try StreamRequest.validate(stdin: request.stdin, stdout: request.stdout, stderr: request.stderr, tty: request.tty)
            var stored = request
            stored.containerID = try await runningContainer(request.containerID).id
            let url = try runtime.streams.url(for: .attach(stored))
            return .with { $0.url = url }
        }
    }

    func portForward(request: Runtime_V1_PortForwardRequest, context: ServerContext) async throws -> Runtime_V1_PortForwardResponse {
        try await translate {
            guard !request.podSandboxID.isEmpty else { throw RuntimeError.invalidArgument("missing required pod_sandbox_id") }
            if let port = request.port.first(where: { !(1...65535).contains($0) }) {
                throw RuntimeError.invalidArgument("port \(port) is out of range")
            }
            let sandbox = try await runtime.sandbox(request.podSandboxID)
            guard sandbox.state == .ready else { throw RuntimeError.failedPrecondition("pod sandbox \(sandbox.id) is not ready") }
            let url = try runtime.streams.url(for: .portForward(sandboxID: sandbox.id, ports: request.port))
            return .with { $0.url = url }
        }
    }

    private func runningContainer(_ id: String) async throws -> ContainerRecord {
        guard !id.isEmpty else { throw RuntimeError.invalidArgument("missing required container_id") }
        let record = try await runtime.containers.observe(try await runtime.containers.get(id))
        let state = runtime.containers.phase(record).state
        guard state == .containerRunning else { throw RuntimeError.failedPrecondition("container \(record.id) is in \(state) state") }
        return record
    }

    func containerStats(request: Runtime_V1_ContainerStatsRequest, context: ServerContext) async throws -> Runtime_V1_ContainerStatsResponse {
        try await translate {
            let record = try await runtime.containers.get(request.containerID)
            return .with { $0.stats = record.criStats() }
        }
    }

    func listContainerStats(request: Runtime_V1_ListContainerStatsRequest, context: ServerContext) async throws -> Runtime_V1_ListContainerStatsResponse {
        try await translate {
            let filter = request.filter
            let stats = try await runtime.containers.all()
                .filter { runtime.containers.phase($0).state == .containerRunning }
                .filter { filter.id.isEmpty || $0.id.hasPrefix(filter.id) }
                .filter { filter.podSandboxID.isEmpty || $0.sandboxID.hasPrefix(filter.podSandboxID) }
                .filter { matches($0.config.labels, selector: filter.labelSelector) }
                .map { $0.criStats() }
            return .with { $0.stats = stats }
        }
    }
}

extension CRIRuntimeService {
    func podSandboxStats(request: Runtime_V1_PodSandboxStatsRequest, context: ServerContext) async throws -> Runtime_V1_PodSandboxStatsResponse {
        try await translate {
            let stats = try await stats(of: try await runtime.sandbox(request.podSandboxID))
            return .with { $0.stats = stats }
        }
    }

    func listPodSandboxStats(request: Runtime_V1_ListPodSandboxStatsRequest, context: ServerContext) async throws -> Runtime_V1_ListPodSandboxStatsResponse {
        try await translate {
            let filter = request.filter
            var out: [Runtime_V1_PodSandboxStats] = []
            for sandbox in await runtime.sandboxes.store.all().sorted(by: { $0.createdAt < $1.createdAt })
            where sandbox.state == .ready && (filter.id.isEmpty || sandbox.id.hasPrefix(filter.id))
                && matches(sandbox.config.labels, selector: filter.labelSelector) {
                out.append(try await stats(of: sandbox))
            }
            return .with { $0.stats = out }
        }
    }

    /// The sandbox's own usage and its running containers'.
    private func stats(of sandbox: SandboxRecord) async throws -> Runtime_V1_PodSandboxStats {
        let containers = try await runtime.containers.all()
            .filter { $0.sandboxID == sandbox.id && runtime.containers.phase($0).state == .containerRunning }
            .map { $0.criStats() }
        return SandboxStats.make(sandbox, containers: containers)
    }
}

extension ContainerRecord {
    func criStats() -> Runtime_V1_ContainerStats {
        let usage = CgroupStats.read(cgroupsPath: cgroupsPath)
        let now = Timestamp.nanos()
        let disk = Files.usage(bundle + "/upper")
        let config = self.config
        func value(_ number: UInt64?) -> Runtime_V1_UInt64Value { .with { $0.value = number ?? 0 } }
        return .with {
            $0.attributes = .with {
                $0.id = id
                $0.metadata = config.metadata
                $0.labels = config.labels
                $0.annotations = config.annotations
            }
            $0.cpu = usage.criCPU(at: now)
            $0.memory = usage.criMemory(at: now)
            $0.writableLayer = .with {
                $0.timestamp = now
                $0.fsID = .with { $0.mountpoint = bundle + "/upper" }
                $0.usedBytes = value(disk.bytes)
                $0.inodesUsed = value(disk.inodes)
            }
        }
    }
}
