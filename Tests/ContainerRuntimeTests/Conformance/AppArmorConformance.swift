import CRI
import Foundation
import Testing

/// Whether this kernel has AppArmor switched on (containerd's test: the module parameter says Y).
private let hostHasAppArmor =
    (try? String(contentsOfFile: "/sys/module/apparmor/parameters/enabled", encoding: .utf8))?.hasPrefix("Y") == true

extension Conformance {
    /// On a kernel without AppArmor both runtimes behave as containerd 1.6: a container that asks
    /// for no profile or Unconfined runs; any other profile is refused ("apparmor is not supported").
    @Suite(.enabled(if: !hostHasAppArmor))
    struct AppArmorConformance {
        @Test(arguments: TestEnvironment.targets)
        func disabledKernel(target: CRITarget) async throws {
            let pod = PodFixture(target, "apparmor")
            try await pod.run { runtime, _, sandbox, config in
                let none = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("none", ["sleep", "1000"]))
                #expect(try await PodFixture.status(runtime, none).state == .containerRunning)
                let unconfined = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("unconfined", ["sleep", "1000"]) {
                    $0.linux.securityContext.apparmor = .with { $0.profileType = .unconfined }
                    $0.linux.securityContext.apparmorProfile = "unconfined"
                })
                #expect(try await PodFixture.status(runtime, unconfined).state == .containerRunning)

                let refused: [(String, (inout Runtime_V1_LinuxContainerSecurityContext) -> Void)] = [
                    ("localhost", { $0.apparmor = .with { $0.profileType = .localhost; $0.localhostRef = "k8s-test" } }),
                    ("legacy-localhost", { $0.apparmorProfile = "localhost/k8s-test" }),
                    ("default", { $0.apparmor = .with { $0.profileType = .runtimeDefault } }),
                ]
                for (name, configure) in refused {
                    let (code, message) = await rpcCode {
                        _ = try await runtime.createContainer(.with {
                            $0.podSandboxID = sandbox
                            $0.config = pod.containerConfig(name, ["sleep", "1000"]) { configure(&$0.linux.securityContext) }
                            $0.sandboxConfig = config
                        })
                    }
                    #expect(code != nil, "\(name) must be refused")
                    #expect(message.contains("apparmor is not supported"), "\(name): \(message)")
                }
            }
        }
    }
}
