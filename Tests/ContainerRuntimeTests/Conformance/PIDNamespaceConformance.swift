import CRI
import Foundation
import Testing

extension Conformance {
    /// CRI `namespace_options.pid`: POD containers share one PID namespace (kept by the pod's
    /// holder process), CONTAINER ones each have their own, TARGET joins another container's.
    @Suite struct PIDNamespaceConformance {
        /// The command lines of the processes `id` can see.
        static func processes(_ runtime: CRITarget.Runtime, _ id: String) async throws -> String {
            try await PodFixture.exec(runtime, id, ["sh", "-c", "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done"]).output
        }

        static func options(_ mode: Runtime_V1_NamespaceMode, target: String = "") -> Runtime_V1_NamespaceOption {
            .with { $0.pid = mode; $0.targetID = target }
        }

        @Test(arguments: TestEnvironment.targets)
        func podModeSharesProcesses(target: CRITarget) async throws {
            let pod = PodFixture(target, "pid-pod")
            try await pod.run(sandbox: { $0.linux.securityContext.namespaceOptions.pid = .pod }) { runtime, _, sandbox, config in
                let first = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("first", ["sleep", "1001"]) {
                    $0.linux.securityContext.namespaceOptions = Self.options(.pod)
                })
                let second = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("second", ["sleep", "1002"]) {
                    $0.linux.securityContext.namespaceOptions = Self.options(.pod)
                })
                let seen = try await Self.processes(runtime, second)
                #expect(seen.contains("sleep 1001") && seen.contains("sleep 1002"), "\(seen)")
                // PID 1 is the pod's (pause or holder), not a container's.
                let init1 = try await PodFixture.exec(runtime, first, ["sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline"]).output
                #expect(!init1.contains("sleep 100"), "\(init1)")
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func containerModeIsolatesAndTargetJoins(target: CRITarget) async throws {
            let pod = PodFixture(target, "pid-container")
            try await pod.run { runtime, _, sandbox, config in
                let first = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("first", ["sleep", "1001"]) {
                    $0.linux.securityContext.namespaceOptions = Self.options(.container)
                })
                let second = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("second", ["sleep", "1002"]) {
                    $0.linux.securityContext.namespaceOptions = Self.options(.container)
                })
                let seen = try await Self.processes(runtime, second)
                #expect(!seen.contains("sleep 1001") && seen.contains("sleep 1002"), "\(seen)")
                let init1 = try await PodFixture.exec(runtime, second, ["sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline"]).output
                #expect(init1.contains("sleep 1002"), "\(init1)")

                let joined = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("joined", ["sleep", "1003"]) {
                    $0.linux.securityContext.namespaceOptions = Self.options(.target, target: first)
                })
                let together = try await Self.processes(runtime, joined)
                #expect(together.contains("sleep 1001") && together.contains("sleep 1003") && !together.contains("sleep 1002"), "\(together)")
            }
        }
    }
}
