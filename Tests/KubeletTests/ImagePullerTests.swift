import Foundation
import Testing
@testable import Kubelet

@Suite struct ImagePullerTests {
    func spec(_ image: String, policy: String? = nil) -> (PodSpecView, ContainerSpec) {
        let pod = Fixture.pod(containers: [Fixture.container("main", image: image, extra: policy.map { [("imagePullPolicy", .string($0))] } ?? [])])
        return (pod, pod.containers[0])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var image: String
        var policy: String?
        var present: Bool
        var decision: ImagePuller.Decision
        var testDescription: String { "\(image) \(policy ?? "default") present=\(present)" }
    }

    @Test(arguments: [
        Case(image: "busybox", present: true, decision: .pull),
        Case(image: "busybox:latest", present: true, decision: .pull),
        Case(image: "busybox:1.36", present: true, decision: .usePresent),
        Case(image: "busybox:1.36", present: false, decision: .pull),
        Case(image: "localhost:5000/team/app@sha256:" + String(repeating: "a", count: 64), present: true, decision: .usePresent),
        Case(image: "busybox", policy: "Never", present: true, decision: .usePresent),
        Case(image: "busybox", policy: "Never", present: false,
             decision: .fail(.init(.errImageNeverPull, "Container image \"busybox\" is not present with pull policy of Never"))),
        Case(image: "Busybox", present: false, decision: .fail(.init(.invalidImageName,
             "Failed to apply default image tag \"Busybox\": couldn't parse image name \"Busybox\": invalid reference format: repository name (library/Busybox) must be lowercase"))),
        Case(image: "busy box", present: false, decision: .fail(.init(.invalidImageName,
             "Failed to apply default image tag \"busy box\": couldn't parse image name \"busy box\": invalid reference format"))),
    ])
    func decisions(c: Case) {
        let (pod, container) = spec(c.image, policy: c.policy)
        #expect(ImagePuller().decide(container, pod: pod, imagePresent: c.present, now: Fixture.t0).0 == c.decision)
    }

    @Test func errImagePullThenImagePullBackOff() {
        let (pod, c) = spec("nope:1")
        var puller = ImagePuller()
        let error = "failed to pull and unpack image \"docker.io/library/nope:1\": not found"
        let (failure, events) = puller.pullFailed(c, pod: pod, error: error, now: Fixture.t0)
        #expect(failure == .init(.errImagePull, error))
        #expect(events.map(\.message) == ["Failed to pull image \"nope:1\": \(error)", "Error: ErrImagePull"])

        let (decision, backoffEvents) = puller.decide(c, pod: pod, imagePresent: false, now: Fixture.at(5))
        #expect(decision == .fail(.init(.imagePullBackOff, "Back-off pulling image \"nope:1\"")))
        #expect(backoffEvents.map(\.reason) == ["BackOff", "Failed"])
        #expect(puller.decide(c, pod: pod, imagePresent: false, now: Fixture.at(10)).0 == .pull)

        // The second failure doubles the wait.
        _ = puller.pullFailed(c, pod: pod, error: error, now: Fixture.at(10))
        #expect(puller.decide(c, pod: pod, imagePresent: false, now: Fixture.at(29)).0 != .pull)
        #expect(puller.decide(c, pod: pod, imagePresent: false, now: Fixture.at(30)).0 == .pull)
    }
}
