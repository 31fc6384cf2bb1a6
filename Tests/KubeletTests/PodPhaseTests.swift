import Foundation
import Testing
@testable import Kubelet

@Suite struct PodPhaseTests {
    typealias S = ContainerStatus
    static func waiting(_ n: String, last: Int32? = nil) -> S {
        S(name: n, state: .waiting(reason: "CrashLoopBackOff", message: ""), lastState: last.map { .init(exitCode: $0, reason: "") })
    }
    static func running(_ n: String, started: Bool = true) -> S { S(name: n, state: .running(startedAt: nil), started: started) }
    static func exited(_ n: String, _ code: Int32) -> S { S(name: n, state: .terminated(.init(exitCode: code, reason: ""))) }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var restartPolicy = "Always"
        var inits: [String] = []
        var sidecars: [String] = []
        var initStatuses: [S] = []
        var statuses: [S]
        var terminal = false
        var phase: PodPhase
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing reported yet", statuses: [], phase: .pending),
        Case(name: "creating", statuses: [S(name: "main", state: .waiting(reason: "ContainerCreating", message: ""))], phase: .pending),
        Case(name: "running", statuses: [running("main")], phase: .running),
        Case(name: "one running, one creating", statuses: [running("main"), S(name: "b", state: .waiting(reason: "", message: ""))],
             phase: .pending),
        Case(name: "Always, exited 0 restarting", statuses: [exited("main", 0)], phase: .running),
        Case(name: "Always, crash looping", statuses: [waiting("main", last: 1)], phase: .running),
        Case(name: "Never, exited 0", restartPolicy: "Never", statuses: [exited("main", 0)], phase: .succeeded),
        Case(name: "Never, exited 1", restartPolicy: "Never", statuses: [exited("main", 1)], phase: .failed),
        Case(name: "Never, one of two failed", restartPolicy: "Never", statuses: [exited("main", 0), exited("b", 2)], phase: .failed),
        Case(name: "OnFailure, exited 0", restartPolicy: "OnFailure", statuses: [exited("main", 0)], phase: .succeeded),
        Case(name: "OnFailure, exited 1 restarting", restartPolicy: "OnFailure", statuses: [exited("main", 1)], phase: .running),
        Case(name: "terminal pod, Always, all exit 0", statuses: [exited("main", 0)], terminal: true, phase: .succeeded),
        Case(name: "terminal pod, Always, a failure", statuses: [exited("main", 137)], terminal: true, phase: .failed),
        Case(name: "init running", inits: ["a"], initStatuses: [running("a")],
             statuses: [S(name: "main", state: .waiting(reason: "PodInitializing", message: ""))], phase: .pending),
        Case(name: "init failed under Never", restartPolicy: "Never", inits: ["a"], initStatuses: [exited("a", 1)],
             statuses: [S(name: "main", state: .waiting(reason: "PodInitializing", message: ""))], phase: .failed),
        Case(name: "init crash looping under Never is Failed", restartPolicy: "Never", inits: ["a"], initStatuses: [waiting("a", last: 1)],
             statuses: [], phase: .failed),
        Case(name: "init crash looping under Always stays Pending", inits: ["a"], initStatuses: [waiting("a", last: 1)],
             statuses: [S(name: "main", state: .waiting(reason: "PodInitializing", message: ""))], phase: .pending),
        Case(name: "init done, app running", inits: ["a"], initStatuses: [exited("a", 0)], statuses: [running("main")], phase: .running),
        Case(name: "sidecar not yet started", sidecars: ["proxy"], initStatuses: [running("proxy", started: false)],
             statuses: [S(name: "main", state: .waiting(reason: "PodInitializing", message: ""))], phase: .pending),
        Case(name: "sidecar restarting after app started", sidecars: ["proxy"], initStatuses: [running("proxy", started: false)],
             statuses: [running("main")], phase: .running),
        Case(name: "Never: app done, sidecar still running", restartPolicy: "Never", sidecars: ["proxy"],
             initStatuses: [running("proxy")], statuses: [exited("main", 0)], phase: .running),
        Case(name: "Never: app done, sidecar stopped", restartPolicy: "Never", sidecars: ["proxy"],
             initStatuses: [exited("proxy", 143)], statuses: [exited("main", 0)], phase: .succeeded),
    ]

    @Test(arguments: cases)
    func phase(_ c: Case) {
        let pod = Fixture.pod(
            containers: (c.statuses.isEmpty ? ["main"] : c.statuses.map(\.name)).map { Fixture.container($0) },
            initContainers: c.inits.map { Fixture.container($0) } + c.sidecars.map { Fixture.sidecar($0) },
            restartPolicy: c.restartPolicy)
        #expect(PodPhase.of(pod: pod, initStatuses: c.initStatuses, statuses: c.statuses, podIsTerminal: c.terminal) == c.phase)
    }
}
