import CRI
import Foundation
import Testing

extension Conformance {
    @Suite struct SandboxConformance {
        @Test(arguments: TestEnvironment.targets)
        func lifecycle(target: CRITarget) async throws {
            let pod = PodFixture(target, "sandbox")
            let config = pod.sandboxConfig()
            try await target.with { runtime, _ in
                let id = try await runtime.runPodSandbox(.with { $0.config = config }).podSandboxID
                let status = try await runtime.podSandboxStatus(.with { $0.podSandboxID = id }).status
                #expect(status.state == .sandboxReady)
                #expect(status.metadata.name == pod.name)
                #expect(!status.network.ip.isEmpty)
                let listed = try await runtime.listPodSandbox(.with { $0.filter.id = id }).items
                #expect(listed.map(\.id) == [id])
                let ready = try await runtime.listPodSandbox(.with { $0.filter.state.state = .sandboxReady }).items
                #expect(ready.contains { $0.id == id })
                _ = try await runtime.stopPodSandbox(.with { $0.podSandboxID = id })
                #expect(try await runtime.podSandboxStatus(.with { $0.podSandboxID = id }).status.state == .sandboxNotready)
                _ = try await runtime.stopPodSandbox(.with { $0.podSandboxID = id })
                _ = try await runtime.removePodSandbox(.with { $0.podSandboxID = id })
                let (code, _) = await rpcCode { _ = try await runtime.podSandboxStatus(.with { $0.podSandboxID = id }) }
                #expect(code == .notFound)
                _ = try await runtime.removePodSandbox(.with { $0.podSandboxID = id })
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func podFilesAndHostname(target: CRITarget) async throws {
            let pod = PodFixture(target, "files")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("c", ["sleep", "30"]))
                #expect(try await PodFixture.exec(runtime, id, ["hostname"]).output == pod.name)
                let hosts = try await PodFixture.exec(runtime, id, ["cat", "/etc/hosts"]).output
                #expect(hosts.contains("localhost"))
                #expect(try await PodFixture.exec(runtime, id, ["test", "-f", "/etc/resolv.conf"]).exitCode == 0)
            }
        }
    }
}
