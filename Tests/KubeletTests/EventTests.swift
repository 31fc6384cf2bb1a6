import Foundation
import KubeAPI
import Testing
@testable import Kubelet

@Suite struct EventTests {
    static let pod = Fixture.pod(containers: [Fixture.container("main", image: "busybox")], initContainers: [Fixture.container("init")])
    static let main = pod.containers[0]

    @Test(arguments: [
        (KubeletEvent.pulling(main), "Normal", "Pulling", "Pulling image \"busybox\""),
        (.pulled(main, pull: .milliseconds(1234), total: .milliseconds(1234) + .microseconds(999), imageSize: 4_269_443), "Normal", "Pulled",
         "Successfully pulled image \"busybox\" in 1.234s (1.234s including waiting). Image size: 4269443 bytes."),
        (.alreadyPresent(main), "Normal", "Pulled", "Container image \"busybox\" already present on machine"),
        (.pullFailed(main, error: "not found"), "Warning", "Failed", "Failed to pull image \"busybox\": not found"),
        (.failed(main, error: "ErrImagePull"), "Warning", "Failed", "Error: ErrImagePull"),
        (.pullBackOff(main), "Normal", "BackOff", "Back-off pulling image \"busybox\""),
        (.neverPull(main), "Warning", "ErrImageNeverPull", "Container image \"busybox\" is not present with pull policy of Never"),
        (.created(main), "Normal", "Created", "Created container: main"),
        (.started(main), "Normal", "Started", "Started container main"),
        (.killing(main), "Normal", "Killing", "Stopping container main"),
        (.backOffRestart(main, pod: pod), "Warning", "BackOff", "Back-off restarting failed container main in pod web_default(uid-1)"),
        (.unhealthy(main, message: "Liveness probe failed: HTTP probe failed with statuscode: 500"), "Warning", "Unhealthy",
         "Liveness probe failed: HTTP probe failed with statuscode: 500"),
    ] as [(KubeletEvent, String, String, String)])
    func wording(event: KubeletEvent, type: String, reason: String, message: String) {
        #expect(event.type.rawValue == type && event.reason == reason && event.message == message)
        #expect(event.fieldPath == "spec.containers{main}")
    }

    @Test func initContainersHaveTheirOwnFieldPath() {
        #expect(KubeletEvent.started(Self.pod.initContainers[0]).fieldPath == "spec.initContainers{init}")
        #expect(KubeletEvent.sandboxChanged.fieldPath == nil)
    }

    @Test func recorderBuildsEventsAndCountsRepeats() {
        var recorder = EventRecorder(host: "node-1")
        let first = recorder.record(.started(Self.main), pod: Self.pod, now: Fixture.t0)
        guard case .create(let event) = first else { Issue.record("expected a create"); return }
        let name = event[path: ["metadata", "name"]]?.string ?? ""
        #expect(name == "web.\(String(UInt64(1_700_000_000) * 1_000_000_000, radix: 16))")
        #expect(event["involvedObject"] == ["kind": "Pod", "namespace": "default", "name": "web", "uid": "uid-1",
                                            "apiVersion": "v1", "fieldPath": "spec.containers{main}"])
        #expect(event["source"] == ["component": "kubelet", "host": "node-1"])
        #expect(event["count"] == 1 && event["type"] == "Normal" && event["reason"] == "Started")
        #expect(event["firstTimestamp"] == "2023-11-14T22:13:20Z" && event["lastTimestamp"] == "2023-11-14T22:13:20Z")

        let again = recorder.record(.started(Self.main), pod: Self.pod, now: Fixture.at(30))
        guard case .update(let updatedName, let updated) = again else { Issue.record("expected an update"); return }
        #expect(updatedName == name)
        #expect(updated["count"] == 2 && updated["firstTimestamp"] == "2023-11-14T22:13:20Z" && updated["lastTimestamp"] == "2023-11-14T22:13:50Z")

        guard case .create = recorder.record(.killing(Self.main), pod: Self.pod, now: Fixture.at(31)) else {
            Issue.record("a different event is a new object"); return
        }
        recorder.forget(podUID: "uid-1")
        guard case .create = recorder.record(.started(Self.main), pod: Self.pod, now: Fixture.at(40)) else {
            Issue.record("forgotten pods start over"); return
        }
    }
}
