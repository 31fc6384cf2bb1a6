import CRI
import Foundation
import GRPCCore
import Testing

/// Builds sandbox and container configs for one test and removes what it created.
struct PodFixture: Sendable {
    let target: CRITarget
    let name: String
    let environment: TestEnvironment

    init(_ target: CRITarget, _ purpose: String) {
        self.target = target
        self.environment = TestEnvironment.current!
        self.name = "\(purpose)-\(UInt32.random(in: 0...UInt32.max))"
    }

    var logDirectory: String { "\(environment.directory)/logs/\(target.name)/\(name)" }

    func sandboxConfig(hostNetwork: Bool = false) -> Runtime_V1_PodSandboxConfig {
        .with {
            $0.metadata = .with { $0.name = name; $0.namespace = "conformance"; $0.uid = name; $0.attempt = 0 }
            $0.hostname = name
            $0.logDirectory = logDirectory
            $0.linux.cgroupParent = "\(environment.cgroupRoot)/\(target.name)/\(name)"
            if hostNetwork { $0.linux.securityContext.namespaceOptions.network = .node }
        }
    }

    func containerConfig(_ containerName: String, _ command: [String], image: String = "busybox",
                         configure: (inout Runtime_V1_ContainerConfig) -> Void = { _ in }) -> Runtime_V1_ContainerConfig {
        var config = Runtime_V1_ContainerConfig.with {
            $0.metadata = .with { $0.name = containerName }
            $0.image = .with { $0.image = image }
            $0.command = command
            $0.logPath = "\(containerName).log"
            $0.linux.resources.cpuShares = 2
        }
        configure(&config)
        return config
    }

    /// Pulls busybox, runs a sandbox, hands it to `body`, then stops and removes the sandbox.
    func run<T: Sendable>(hostNetwork: Bool = false, sandbox configure: (inout Runtime_V1_PodSandboxConfig) -> Void = { _ in },
                          _ body: @Sendable (CRITarget.Runtime, CRITarget.Images, String, Runtime_V1_PodSandboxConfig) async throws -> T) async throws -> T {
        var configured = sandboxConfig(hostNetwork: hostNetwork)
        configure(&configured)
        let sandboxConfig = configured
        return try await target.with { runtime, images in
            _ = try await images.pullImage(.with { $0.image.image = "busybox" })
            let id = try await runtime.runPodSandbox(.with { $0.config = sandboxConfig }).podSandboxID
            do {
                let result = try await body(runtime, images, id, sandboxConfig)
                try await PodFixture.remove(id, runtime)
                return result
            } catch {
                try? await PodFixture.remove(id, runtime)
                throw error
            }
        }
    }

    static func remove(_ id: String, _ runtime: CRITarget.Runtime) async throws {
        _ = try await runtime.stopPodSandbox(.with { $0.podSandboxID = id })
        _ = try await runtime.removePodSandbox(.with { $0.podSandboxID = id })
    }

    /// Creates and starts a container in the sandbox.
    static func start(_ runtime: CRITarget.Runtime, _ sandbox: String, _ sandboxConfig: Runtime_V1_PodSandboxConfig,
                      _ config: Runtime_V1_ContainerConfig) async throws -> String {
        let id = try await runtime.createContainer(.with {
            $0.podSandboxID = sandbox
            $0.config = config
            $0.sandboxConfig = sandboxConfig
        }).containerID
        _ = try await runtime.startContainer(.with { $0.containerID = id })
        return id
    }

    static func status(_ runtime: CRITarget.Runtime, _ id: String) async throws -> Runtime_V1_ContainerStatus {
        try await runtime.containerStatus(.with { $0.containerID = id }).status
    }

    /// Polls until the container has exited (up to `timeout`).
    static func waitForExit(_ runtime: CRITarget.Runtime, _ id: String, timeout: Duration = .seconds(15)) async throws -> Runtime_V1_ContainerStatus {
        let deadline = ContinuousClock.now + timeout
        while true {
            let status = try await status(runtime, id)
            if status.state == .containerExited || ContinuousClock.now > deadline { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func exec(_ runtime: CRITarget.Runtime, _ id: String, _ command: [String], timeout: Int64 = 10) async throws -> Runtime_V1_ExecSyncResponse {
        try await runtime.execSync(.with { $0.containerID = id; $0.cmd = command; $0.timeout = timeout })
    }
}

extension Runtime_V1_ExecSyncResponse {
    var output: String { String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// The gRPC status code a call failed with (nil when it succeeded).
func rpcCode(_ body: () async throws -> Void) async -> (RPCError.Code?, String) {
    do {
        try await body()
        return (nil, "")
    } catch let error as RPCError {
        return (error.code, error.message)
    } catch {
        return (.unknown, "\(error)")
    }
}
