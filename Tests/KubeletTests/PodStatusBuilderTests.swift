import Foundation
import KubeAPI
import Testing
@testable import Kubelet

@Suite struct PodStatusBuilderTests {
    static let sandbox = RuntimePodState(sandboxes: [Fixture.readySandbox])

    func build(_ pod: PodSpecView, _ runtime: RuntimePodState, failures: [String: ContainerStartFailure] = [:],
               probes: ProbeResults = .init(), old: JSON = [:], now: Date = Fixture.at(5)) -> JSON {
        PodStatusBuilder(pod: pod, runtime: runtime, startFailures: failures, probes: probes, oldStatus: old,
                         hostIPs: ["192.168.1.10"]).build(now: now)
    }

    func conditions(_ status: JSON) -> [String] {
        status.objects("conditions").map { c in
            [c.string("type"), c.string("status"), c.string("reason"), c.string("message")].compactMap { $0 }.joined(separator: " ")
        }
    }

    @Test func runningPodReportsEverything() {
        let pod = Fixture.pod()
        let status = build(pod, RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [Fixture.running("main", startedAt: 2)]))
        let expected: JSON = [
            "phase": "Running",
            "conditions": [
                ["type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": nil, "lastTransitionTime": "2023-11-14T22:13:25Z"],
                ["type": "Initialized", "status": "True", "lastProbeTime": nil, "lastTransitionTime": "2023-11-14T22:13:25Z"],
                ["type": "Ready", "status": "True", "lastProbeTime": nil, "lastTransitionTime": "2023-11-14T22:13:25Z"],
                ["type": "ContainersReady", "status": "True", "lastProbeTime": nil, "lastTransitionTime": "2023-11-14T22:13:25Z"],
                ["type": "PodScheduled", "status": "True", "lastProbeTime": nil, "lastTransitionTime": "2023-11-14T22:13:25Z"],
            ],
            "hostIP": "192.168.1.10",
            "hostIPs": [["ip": "192.168.1.10"]],
            "podIP": "10.88.0.5",
            "podIPs": [["ip": "10.88.0.5"]],
            "startTime": "2023-11-14T22:13:25Z",
            "containerStatuses": [[
                "name": "main",
                "state": ["running": ["startedAt": "2023-11-14T22:13:22Z"]],
                "lastState": [:],
                "ready": true,
                "restartCount": 0,
                "image": "docker.io/library/busybox:1.36",
                "imageID": "sha256:abc",
                "containerID": "skiff://main-0",
                "started": true,
            ]],
            "qosClass": "BestEffort",
        ]
        #expect(status == expected, "\(status.text)")
    }

    @Test func waitingForTheSandbox() {
        let status = build(Fixture.pod(initContainers: [Fixture.container("init")]), RuntimePodState())
        #expect(status.string("phase") == "Pending")
        #expect(status["podIP"] == nil)
        #expect(conditions(status) == [
            "PodReadyToStartContainers False", "Initialized False ContainersNotInitialized containers with incomplete status: [init]",
            "Ready False ContainersNotReady containers with unready status: [main]",
            "ContainersReady False ContainersNotReady containers with unready status: [main]", "PodScheduled True",
        ])
        #expect(status.objects("initContainerStatuses").first?[path: ["state", "waiting", "reason"]] == "PodInitializing")
        #expect(status.objects("containerStatuses").first?[path: ["state", "waiting", "reason"]] == "PodInitializing")
    }

    struct WaitingCase: Sendable, CustomTestStringConvertible {
        var failure: ContainerStartFailure
        var testDescription: String { failure.reason.rawValue }
    }

    @Test(arguments: [
        ContainerStartFailure(.errImagePull, "failed to pull and unpack image \"nope:1\": not found"),
        ContainerStartFailure(.imagePullBackOff, "Back-off pulling image \"nope:1\""),
        ContainerStartFailure(.createContainerConfigError, "configmap \"cfg\" not found"),
        ContainerStartFailure(.invalidImageName, "Failed to apply default image tag \"Bad\": couldn't parse image name"),
    ])
    func startFailuresShowAsWaiting(failure: ContainerStartFailure) {
        let status = build(Fixture.pod(), Self.sandbox, failures: ["main": failure])
        let c = status.objects("containerStatuses")[0]
        #expect(status.string("phase") == "Pending")
        #expect(c["state"] == ["waiting": ["reason": .string(failure.reason.rawValue), "message": .string(failure.message)]])
        #expect(c["ready"] == false && c["started"] == false && c["restartCount"] == 0)
    }

    @Test func crashLoopShowsLastStateAndRestarts() {
        let runtime = RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [
            Fixture.exited("main", code: 1, attempt: 2, startedAt: 20, finishedAt: 21),
            Fixture.exited("main", code: 1, attempt: 1, startedAt: 10, finishedAt: 11),
        ])
        let message = "back-off 20s restarting failed container=main pod=web_default(uid-1)"
        let status = build(Fixture.pod(), runtime, failures: ["main": .init(.crashLoopBackOff, message)])
        let c = status.objects("containerStatuses")[0]
        #expect(status.string("phase") == "Running")
        #expect(c["state"] == ["waiting": ["reason": "CrashLoopBackOff", "message": .string(message)]])
        #expect(c["lastState"] == ["terminated": [
            "exitCode": 1, "reason": "Error", "startedAt": "2023-11-14T22:13:40Z", "finishedAt": "2023-11-14T22:13:41Z",
            "containerID": "skiff://main-2",
        ]])
        #expect(c["restartCount"] == 2)
    }

    struct ExitCase: Sendable, CustomTestStringConvertible {
        var code: Int32
        var runtimeReason: String
        var reason: String
        var phase: String
        var testDescription: String { "\(code) \(reason)" }
    }

    @Test(arguments: [
        ExitCase(code: 0, runtimeReason: "", reason: "Completed", phase: "Succeeded"),
        ExitCase(code: 1, runtimeReason: "", reason: "Error", phase: "Failed"),
        ExitCase(code: 137, runtimeReason: "OOMKilled", reason: "OOMKilled", phase: "Failed"),
        ExitCase(code: 128, runtimeReason: "StartError", reason: "StartError", phase: "Failed"),
    ])
    func exitsUnderNever(c: ExitCase) {
        let runtime = RuntimePodState(sandboxes: [Fixture.readySandbox],
                                      containers: [Fixture.exited("main", code: c.code, reason: c.runtimeReason)])
        let status = build(Fixture.pod(restartPolicy: "Never"), runtime)
        #expect(status.string("phase") == c.phase)
        #expect(status.objects("containerStatuses")[0][path: ["state", "terminated", "reason"]] == .string(c.reason))
        let readyReason = c.phase == "Succeeded" ? "PodCompleted" : "PodFailed"
        #expect(conditions(status).contains("Ready False \(readyReason)"))
        if c.phase == "Succeeded" { #expect(conditions(status).contains("Initialized True PodCompleted")) }
    }

    @Test func crashingSidecarWaitsEvenUnderNever() {
        let pod = Fixture.pod(initContainers: [Fixture.sidecar("proxy")], restartPolicy: "Never")
        let runtime = RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [
            Fixture.exited("proxy", code: 1, attempt: 1), Fixture.running("main", startedAt: 2),
        ])
        let status = build(pod, runtime, failures: ["proxy": .init(.crashLoopBackOff, "back-off 10s restarting failed container=proxy pod=web_default(uid-1)")])
        let proxy = status.objects("initContainerStatuses")[0]
        #expect(proxy[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff")
        #expect(proxy[path: ["lastState", "terminated", "exitCode"]] == 1)
        #expect(status.string("phase") == "Running")
        #expect(conditions(status).contains("ContainersReady False ContainersNotReady containers with unready status: [proxy]"))
    }

    @Test func terminalPhaseIsNeverLeft() {
        let old: JSON = ["phase": "Succeeded", "reason": "Done", "startTime": "2023-11-14T22:00:00Z"]
        let status = build(Fixture.pod(restartPolicy: "Never"), RuntimePodState(), old: old)
        #expect(status.string("phase") == "Succeeded")
        #expect(status.string("reason") == "Done")
        #expect(status.string("startTime") == "2023-11-14T22:00:00Z")
    }

    @Test func readinessProbeGatesReady() {
        let pod = Fixture.pod(containers: [Fixture.container("main", extra: [("readinessProbe", ["httpGet": ["port": 80]])])])
        let runtime = RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [Fixture.running("main")])
        let notReady = build(pod, runtime)
        #expect(notReady.objects("containerStatuses")[0]["ready"] == false)
        #expect(conditions(notReady).contains("ContainersReady False ContainersNotReady containers with unready status: [main]"))
        var probes = ProbeResults()
        probes[.readiness, "main-0"] = .success
        let ready = build(pod, runtime, probes: probes)
        #expect(ready.objects("containerStatuses")[0]["ready"] == true)
        #expect(conditions(ready).contains("Ready True"))
    }

    @Test func startupProbeGatesStarted() {
        let pod = Fixture.pod(containers: [Fixture.container("main", extra: [("startupProbe", ["exec": ["command": ["true"]]])])])
        let runtime = RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [Fixture.running("main")])
        let c = build(pod, runtime).objects("containerStatuses")[0]
        #expect(c["started"] == false && c["ready"] == false)
    }

    @Test func transitionTimesSurviveUnchangedConditions() {
        let runtime = RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [Fixture.running("main")])
        let first = build(Fixture.pod(), runtime, now: Fixture.at(5))
        var old = first
        old["conditions"] = .array(first.objects("conditions") + [["type": "DisruptionTarget", "status": "True"]])
        let second = build(Fixture.pod(), runtime, old: old, now: Fixture.at(100))
        let types = second.objects("conditions").map { $0.string("type") ?? "" }
        #expect(types == ["DisruptionTarget", "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
        #expect(second.objects("conditions").dropFirst().allSatisfy { $0.string("lastTransitionTime") == "2023-11-14T22:13:25Z" })
    }

    @Test func vanishedRunningContainerCountsAsRestarted() {
        let old: JSON = ["phase": "Running", "containerStatuses": [[
            "name": "main", "state": ["running": ["startedAt": "2023-11-14T22:13:22Z"]], "lastState": [:], "ready": true,
            "restartCount": 0, "image": "busybox:1.36", "imageID": "", "started": true,
        ]]]
        let status = build(Fixture.pod(), Self.sandbox, old: old)
        let c = status.objects("containerStatuses")[0]
        #expect(c[path: ["lastState", "terminated", "reason"]] == "ContainerStatusUnknown")
        #expect(c[path: ["lastState", "terminated", "exitCode"]] == 137)
        #expect(c["restartCount"] == 1)
        #expect(status.string("phase") == "Running")
    }

    @Test func readinessGatesNeedTheirConditions() {
        let pod = Fixture.pod(specExtra: [("readinessGates", [["conditionType": "example.com/lb"]])])
        let runtime = RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [Fixture.running("main")])
        #expect(conditions(build(pod, runtime)).contains(
            "Ready False ReadinessGatesNotReady corresponding condition of pod readiness gate \"example.com/lb\" does not exist."))
        let old: JSON = ["conditions": [["type": "example.com/lb", "status": "True"]]]
        #expect(conditions(build(pod, runtime, old: old)).contains("Ready True"))
    }

    @Test(arguments: [(0.0, "1970-01-01T00:00:00Z"), (1_700_000_000.9, "2023-11-14T22:13:20Z"), (951_782_400, "2000-02-29T00:00:00Z")])
    func timestampsAreSecondPrecisionUTC(seconds: Double, text: String) {
        #expect(Timestamp.string(Date(timeIntervalSince1970: seconds)) == text)
        #expect(Timestamp.parse(text) == Date(timeIntervalSince1970: seconds.rounded(.down)))
    }
}
