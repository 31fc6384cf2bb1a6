import GRPCCore
import Testing
@testable import Kubelet

struct CRIRuntimeClientTests {
    func policy(_ service: String, _ method: String) -> MethodConfig? {
        CRIRuntimeClient.serviceConfig.methodConfig.first { $0.names.contains(.init(service: service, method: method)) }
    }

    /// Reads and streaming-URL calls are retried when the connection drops; calls that change
    /// the node (create, start, stop, remove) are not, and every call has the 2-minute timeout.
    @Test func onlyCallsThatChangeNothingAreRetried() {
        for method in ["ListPodSandbox", "PodSandboxStatus", "ListContainers", "ContainerStatus", "Exec", "Attach", "Version"] {
            guard let retry = policy("runtime.v1.RuntimeService", method)?.executionPolicy?.retry else {
                Issue.record("\(method) is not retried"); continue
            }
            #expect(retry.retryableStatusCodes == [.unavailable])
        }
        #expect(policy("runtime.v1.ImageService", "ImageStatus")?.executionPolicy?.retry != nil)
        for method in ["RunPodSandbox", "CreateContainer", "StartContainer", "StopContainer", "RemoveContainer", "ExecSync"] {
            #expect(policy("runtime.v1.RuntimeService", method) == nil)
        }
        #expect(CRIRuntimeClient.serviceConfig.methodConfig.allSatisfy { $0.timeout == .seconds(120) })
    }
}
