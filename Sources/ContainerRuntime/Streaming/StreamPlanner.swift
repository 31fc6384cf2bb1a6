import CRI
import Logging

/// Turns a stored request into the session that serves it, checking again that its container
/// or sandbox is still there.
struct StreamPlanner: Sendable {
    let runtime: NodeRuntime
    let execDirectory: String
    let logger: Logger

    func session(for request: StreamRequest, streamProtocol: StreamProtocol, queryPorts: [Int32]) async -> any StreamSession {
        switch request {
        case .exec(let exec):
            let options = await resolve { () async throws(RuntimeError) -> ExecProcess.Options in
                let record = try await running(exec.containerID)
                return ExecProcess.Options(
                    runtime: runtime.containers.runtime(record), containerID: record.id, command: exec.cmd, tty: exec.tty,
                    stdin: exec.stdin, stdout: exec.stdout, stderr: exec.stderr,
                    pidFile: execDirectory + "/" + String(RandomID.make().prefix(16)) + ".pid")
            }
            return ExecSession(options: options, streamProtocol: streamProtocol, logger: logger)
        case .attach(let attach):
            let options = await resolve { () async throws(RuntimeError) -> AttachSession.Options in
                let record = try await running(attach.containerID)
                return AttachSession.Options(bundle: record.bundle, stdin: attach.stdin && record.config.stdin,
                                             stdout: attach.stdout, stderr: attach.stderr)
            }
            return AttachSession(options: options, streamProtocol: streamProtocol, logger: logger)
        case .portForward(let sandboxID, let ports):
            let target = await resolve { () async throws(RuntimeError) -> PortForwardSession.Target in
                let sandbox: SandboxRecord
                do { sandbox = try await runtime.sandbox(sandboxID) } catch let error as RuntimeError { throw error } catch { throw .io("\(error)") }
                guard sandbox.state == .ready else { throw .failedPrecondition("pod sandbox \(sandbox.id) is not ready") }
                return PortForwardSession.Target(sandboxID: sandbox.id, netnsPath: sandbox.netnsPath)
            }
            return PortForwardSession(target: target, ports: ports.isEmpty ? queryPorts : ports, logger: logger)
        }
    }

    private func running(_ id: String) async throws(RuntimeError) -> ContainerRecord {
        do {
            let record = try await runtime.containers.observe(try await runtime.containers.get(id))
            guard runtime.containers.phase(record).state == .containerRunning else {
                throw RuntimeError.failedPrecondition("container \(record.id) is not running")
            }
            return record
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw .io("\(error)")
        }
    }

    private func resolve<T>(_ body: () async throws(RuntimeError) -> T) async -> Result<T, RuntimeError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}
