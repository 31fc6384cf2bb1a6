import Foundation
import KubeAPI
import Testing
@testable import Kubelet

@Suite struct ComputePodActionsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var pod: PodSpecView
        var runtime: RuntimePodState
        var probes = ProbeResults()
        var createSandbox: PodActions.SandboxReason?
        var killPod = false
        var initToStart: [String] = []
        var toStart: [String] = []
        var toKill: [String: PodActions.KillReason] = [:]
        var testDescription: String { name }
    }

    static let main = Fixture.pod().containers[0]
    static func sandboxed(_ c: [RuntimeContainer]) -> RuntimePodState { RuntimePodState(sandboxes: [Fixture.readySandbox], containers: c) }

    static let cases: [Case] = [
        Case(name: "new pod: sandbox, then its containers", pod: Fixture.pod(), runtime: .init(),
             createSandbox: .noSandbox, killPod: true, toStart: ["main"]),
        Case(name: "new pod with init containers starts the first only",
             pod: Fixture.pod(initContainers: [Fixture.container("a"), Fixture.container("b")]), runtime: .init(),
             createSandbox: .noSandbox, killPod: true, initToStart: ["a"]),
        Case(name: "running container is kept", pod: Fixture.pod(), runtime: sandboxed([Fixture.running("main", spec: main)])),
        Case(name: "sandbox died: kill and recreate",
             pod: Fixture.pod(), runtime: .init(sandboxes: [.init(id: "sb1", state: .notReady)], containers: [Fixture.running("main")]),
             createSandbox: .notReady, killPod: true, toStart: ["main"]),
        Case(name: "sandbox without an IP is replaced",
             pod: Fixture.pod(), runtime: .init(sandboxes: [.init(id: "sb1", ips: [])]),
             createSandbox: .noIP, killPod: true, toStart: ["main"]),
        Case(name: "finished Never pod is not given a new sandbox",
             pod: Fixture.pod(restartPolicy: "Never"),
             runtime: .init(sandboxes: [.init(id: "sb1", attempt: 0, state: .notReady)], containers: [Fixture.exited("main", code: 0)]),
             createSandbox: nil, killPod: true),
        Case(name: "OnFailure pod whose containers succeeded gets no new sandbox",
             pod: Fixture.pod(restartPolicy: "OnFailure"),
             runtime: .init(sandboxes: [.init(id: "sb1", state: .notReady)], containers: [Fixture.exited("main", code: 0)]),
             createSandbox: nil, killPod: true),
        Case(name: "Always restarts an exit 0", pod: Fixture.pod(), runtime: sandboxed([Fixture.exited("main", code: 0)]),
             toStart: ["main"]),
        Case(name: "OnFailure restarts an exit 1", pod: Fixture.pod(restartPolicy: "OnFailure"),
             runtime: sandboxed([Fixture.exited("main", code: 1)]), toStart: ["main"]),
        Case(name: "OnFailure leaves an exit 0: pod done", pod: Fixture.pod(restartPolicy: "OnFailure"),
             runtime: sandboxed([Fixture.exited("main", code: 0)]), killPod: true),
        Case(name: "Never leaves an exit 1: pod done", pod: Fixture.pod(restartPolicy: "Never"),
             runtime: sandboxed([Fixture.exited("main", code: 1)]), killPod: true),
        Case(name: "liveness failure restarts under Always",
             pod: Fixture.pod(), runtime: sandboxed([Fixture.running("main", spec: main)]),
             probes: { var p = ProbeResults(); p[.liveness, "main-0"] = .failure; return p }(),
             toStart: ["main"], toKill: ["main": .livenessProbe]),
        Case(name: "liveness failure under Never kills without restart",
             pod: Fixture.pod(restartPolicy: "Never"), runtime: sandboxed([Fixture.running("main", spec: main)]),
             probes: { var p = ProbeResults(); p[.liveness, "main-0"] = .failure; return p }(),
             killPod: true, toKill: ["main": .livenessProbe]),
        Case(name: "startup failure restarts", pod: Fixture.pod(), runtime: sandboxed([Fixture.running("main", spec: main)]),
             probes: { var p = ProbeResults(); p[.startup, "main-0"] = .failure; return p }(),
             toStart: ["main"], toKill: ["main": .startupProbe]),
        Case(name: "changed image restarts even under Never",
             pod: Fixture.pod(containers: [Fixture.container("main", image: "busybox:1.37")], restartPolicy: "Never"),
             runtime: sandboxed([Fixture.running("main", spec: main)]),
             toStart: ["main"], toKill: ["main": .definitionChanged]),
        Case(name: "unknown container is killed before its restart",
             pod: Fixture.pod(),
             runtime: sandboxed([RuntimeContainer(id: "main-0", name: "main", state: .unknown, createdAt: Fixture.t0)]),
             toStart: ["main"], toKill: ["main": .unknownState]),
        Case(name: "init containers run in order",
             pod: Fixture.pod(initContainers: [Fixture.container("a"), Fixture.container("b")]),
             runtime: sandboxed([Fixture.exited("a", code: 0)]), initToStart: ["b"]),
        Case(name: "running init container is waited for",
             pod: Fixture.pod(initContainers: [Fixture.container("a"), Fixture.container("b")]),
             runtime: sandboxed([Fixture.exited("a", code: 0), Fixture.running("b", startedAt: 2)])),
        Case(name: "all init containers done: app containers start",
             pod: Fixture.pod(initContainers: [Fixture.container("a")]),
             runtime: sandboxed([Fixture.exited("a", code: 0)]), toStart: ["main"]),
        Case(name: "failed init container is retried under Always",
             pod: Fixture.pod(initContainers: [Fixture.container("a")]),
             runtime: sandboxed([Fixture.exited("a", code: 1)]), initToStart: ["a"]),
        Case(name: "failed init container under Never fails the pod",
             pod: Fixture.pod(initContainers: [Fixture.container("a")], restartPolicy: "Never"),
             runtime: sandboxed([Fixture.exited("a", code: 1)]), killPod: true),
        Case(name: "init containers garbage-collected after app started are not rerun",
             pod: Fixture.pod(initContainers: [Fixture.container("a")]),
             runtime: sandboxed([Fixture.running("main", spec: main)])),
        Case(name: "sidecar started: next init container follows while it runs",
             pod: Fixture.pod(initContainers: [Fixture.sidecar("proxy"), Fixture.container("setup")]),
             runtime: sandboxed([Fixture.running("proxy")]), initToStart: ["setup"]),
        Case(name: "last init is a started sidecar: app containers start",
             pod: Fixture.pod(initContainers: [Fixture.sidecar("proxy")]),
             runtime: sandboxed([Fixture.running("proxy")]), toStart: ["main"]),
        Case(name: "sidecar with a pending startup probe holds initialization",
             pod: Fixture.pod(initContainers: [Fixture.sidecar("proxy", extra: [("startupProbe", ["tcpSocket": ["port": 80]])])]),
             runtime: sandboxed([Fixture.running("proxy")])),
        Case(name: "exited sidecar is restarted beside running app containers",
             pod: Fixture.pod(initContainers: [Fixture.sidecar("proxy")]),
             runtime: sandboxed([Fixture.exited("proxy", code: 1), Fixture.running("main", startedAt: 2, spec: main)]),
             initToStart: ["proxy"]),
        Case(name: "sidecars do not keep a finished pod alive",
             pod: Fixture.pod(initContainers: [Fixture.sidecar("proxy")], restartPolicy: "Never"),
             runtime: sandboxed([Fixture.running("proxy"), Fixture.exited("main", code: 0, startedAt: 2, finishedAt: 3)]),
             killPod: true),
        Case(name: "deleted pod restarts nothing",
             pod: Fixture.pod(metaExtra: [("deletionTimestamp", "2023-11-14T22:13:20Z")]),
             runtime: sandboxed([Fixture.exited("main", code: 1)]), killPod: true),
    ]

    @Test(arguments: cases)
    func plan(_ c: Case) {
        var backoff = Backoff()
        let a = computePodActions(pod: c.pod, runtime: c.runtime, probes: c.probes, backoff: &backoff, now: Fixture.at(1))
        #expect(a.createSandbox == c.createSandbox)
        #expect(a.killPod == c.killPod)
        #expect(a.initContainersToStart == c.initToStart)
        #expect(a.containersToStart == c.toStart)
        #expect(Dictionary(uniqueKeysWithValues: a.containersToKill.map { ($0.name, $0.reason) }) == c.toKill)
    }

    @Test func killMessagesSayWhetherTheContainerComesBack() {
        var probes = ProbeResults()
        probes[.liveness, "main-0"] = .failure
        var backoff = Backoff()
        let a = computePodActions(pod: Fixture.pod(), runtime: Self.sandboxed([Fixture.running("main", spec: Self.main)]),
                                  probes: probes, backoff: &backoff, now: Fixture.t0)
        #expect(a.containersToKill.map(\.message) == ["Container main failed liveness probe, will be restarted"])
    }

    /// Exits one second after each start; the kubelet syncs every second.
    @Test func crashLoopBackOffWaitsLongerEachTime() {
        let pod = Fixture.pod()
        var backoff = Backoff()
        var attempt = 0
        var finished = 1.0
        var restarts: [Double] = []
        var messages: Set<String> = []
        for second in 1...200 {
            let now = Double(second)
            let runtime = Self.sandboxed([Fixture.exited("main", code: 1, attempt: attempt, startedAt: finished - 1, finishedAt: finished)])
            let a = computePodActions(pod: pod, runtime: runtime, probes: .init(), backoff: &backoff, now: Fixture.at(now))
            if a.containersToStart == ["main"] {
                restarts.append(now)
                attempt += 1
                finished = now + 1
            } else {
                #expect(a.backingOff.count == 1)
                messages.formUnion(a.backingOff.map(\.message))
            }
        }
        // Immediate first restart, then 10 s, 20 s, 40 s, 80 s after each exit.
        #expect(restarts == [1, 12, 33, 74, 155])
        #expect(messages.contains("back-off 10s restarting failed container=main pod=web_default(uid-1)"))
        #expect(messages.contains("back-off 40s restarting failed container=main pod=web_default(uid-1)"))
    }

    @Test func initContainerInBackoffBlocksTheAppContainers() {
        let pod = Fixture.pod(initContainers: [Fixture.container("a")])
        var backoff = Backoff()
        let key = BackoffKey.container(podUID: "uid-1", name: "a", specHash: pod.initContainers[0].hash)
        backoff.next(key, eventTime: Fixture.at(1), now: Fixture.at(1))
        let a = computePodActions(pod: pod, runtime: Self.sandboxed([Fixture.exited("a", code: 1)]), probes: .init(),
                                  backoff: &backoff, now: Fixture.at(2))
        #expect(a.initContainersToStart.isEmpty)
        #expect(a.backingOff.map(\.name) == ["a"])
    }
}
