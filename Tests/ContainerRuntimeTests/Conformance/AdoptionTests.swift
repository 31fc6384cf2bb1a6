import CRI
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` our runtime while containers run and some exit: a new runtime on the same state
/// lists every container with the right state and exit code, and restarted none.
extension Conformance {
    @Suite struct AdoptionTests {
        /// A runtime process of our own for this test, with its own directories.
        struct RuntimeProcess {
            let process: Process
            let target: CRITarget

            static func start(directory: String) async throws -> RuntimeProcess {
                let environment = TestEnvironment.current!
                let socket = directory + "/cri.sock"
                unlink(socket)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: environment.skiffBinary)
                process.arguments = ["runtime", "--listen", socket, "--state-dir", directory + "/state", "--root-dir", directory + "/root",
                                     "--cni-conf-dir", directory + "/net.d", "--registry-mirror", "docker.io=http://\(environment.registry)",
                                     "--cgroup-root", environment.cgroupRoot + "/adopt", "--log-level", "warning"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle(forWritingAtPath: "/dev/null")
                try process.run()
                for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(50)) }
                return RuntimeProcess(process: process, target: CRITarget(name: "skiff-adopt", socket: socket))
            }

            func kill9() {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        @Test func survivesKill9() async throws {
            let directory = TestEnvironment.current!.directory + "/skiff-adopt"
            var runtime = try await RuntimeProcess.start(directory: directory)
            defer { runtime.kill9() }
            let pod = PodFixture(runtime.target, "adopt")
            let sandboxConfig = pod.sandboxConfig(hostNetwork: true)
            let (sandbox, ids) = try await runtime.target.with { cri, images in
                _ = try await images.pullImage(.with { $0.image.image = "busybox" })
                let sandbox = try await cri.runPodSandbox(.with { $0.config = sandboxConfig }).podSandboxID
                let long = try await PodFixture.start(cri, sandbox, sandboxConfig, pod.containerConfig("long", ["sh", "-c", "echo started; exec sleep 1000"]))
                let quick = try await PodFixture.start(cri, sandbox, sandboxConfig, pod.containerConfig("quick", ["true"]))
                let late = try await PodFixture.start(cri, sandbox, sandboxConfig, pod.containerConfig("late", ["sh", "-c", "sleep 2; exit 7"]))
                _ = try await PodFixture.waitForExit(cri, quick)
                return (sandbox, [long, quick, late])
            }
            let before = try await runtime.target.with { cri, _ in try await PodFixture.status(cri, ids[0]) }
            runtime.kill9()
            try await Task.sleep(for: .seconds(3)) // "late" exits while no runtime runs
            runtime = try await RuntimeProcess.start(directory: directory)
            try await runtime.target.with { cri, _ in
                let long = try await PodFixture.status(cri, ids[0])
                #expect(long.state == .containerRunning)
                #expect(long.startedAt == before.startedAt)
                let quick = try await PodFixture.status(cri, ids[1])
                #expect(quick.state == .containerExited && quick.exitCode == 0 && quick.reason == "Completed")
                let late = try await PodFixture.status(cri, ids[2])
                #expect(late.state == .containerExited && late.exitCode == 7 && late.reason == "Error")
                let log = try String(contentsOfFile: long.logPath, encoding: .utf8)
                #expect(log.components(separatedBy: "stdout F started").count == 2, "started exactly once")
                #expect(try await cri.listContainers(.init()).containers.count == 3)
                try await PodFixture.remove(sandbox, cri)
            }
        }
    }
}
