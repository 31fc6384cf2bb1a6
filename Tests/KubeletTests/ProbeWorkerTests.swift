import Foundation
import Testing
@testable import Kubelet

@Suite struct ProbeWorkerTests {
    let exec = Handler.exec(command: ["cat", "/tmp/healthy"])

    func running(_ id: String = "c1", since: Double = 0, started: Bool = true) -> ProbeWorker.Observation {
        .init(containerID: id, runningSince: Fixture.at(since), started: started)
    }

    @Test(arguments: [ProbeKind.liveness, .readiness, .startup])
    func defaultsFromJSON(kind: ProbeKind) {
        let spec = ContainerSpec(json: Fixture.container("main", extra: [
            ("\(kind.rawValue.lowercased())Probe", ["httpGet": ["port": 8080, "path": "/healthz"]]),
        ]), kind: .regular).probe(kind)
        #expect(spec?.timeoutSeconds == 1 && spec?.periodSeconds == 10)
        #expect(spec?.successThreshold == 1 && spec?.failureThreshold == 3 && spec?.initialDelaySeconds == 0)
        guard case .httpGet(let get) = spec?.handler else { Issue.record("no httpGet"); return }
        #expect(get.port == "8080" && get.path == "/healthz" && get.scheme == "HTTP")
    }

    @Test func newContainerGetsInitialResultsThenProbes() {
        for (kind, initial) in [(ProbeKind.liveness, ProbeResult.success), (.readiness, .failure), (.startup, .unknown)] {
            var w = ProbeWorker(kind: kind, spec: ProbeSpec(handler: exec), restartPolicy: .always)
            let actions = w.tick(running(started: kind != .startup), now: Fixture.t0)
            #expect(actions == [.publish(containerID: "c1", initial), .runProbe(timeout: .seconds(1))])
        }
    }

    @Test func initialDelayHoldsTheFirstProbe() {
        var w = ProbeWorker(kind: .liveness, spec: ProbeSpec(handler: exec, initialDelaySeconds: 15), restartPolicy: .always)
        _ = w.tick(running(), now: Fixture.at(0))
        #expect(w.tick(running(), now: Fixture.at(10)) == [])
        #expect(w.tick(running(), now: Fixture.at(15)) == [.runProbe(timeout: .seconds(1))])
    }

    @Test func periodSchedulesTicks() {
        var w = ProbeWorker(kind: .readiness, spec: ProbeSpec(handler: exec, periodSeconds: 5), restartPolicy: .always)
        #expect(w.isDue(Fixture.t0))
        _ = w.tick(running(), now: Fixture.t0)
        #expect(!w.isDue(Fixture.at(4.9)) && w.isDue(Fixture.at(5)))
        #expect(w.nextDue == Fixture.at(5))
    }

    @Test func livenessFailsAfterThresholdThenWaitsForANewContainer() {
        var w = ProbeWorker(kind: .liveness, spec: ProbeSpec(handler: exec), restartPolicy: .always)
        _ = w.tick(running(), now: Fixture.t0)
        let fail = ProbeOutcome.failure("cat: can't open '/tmp/healthy': No such file or directory")
        let event = ProbeWorker.Action.unhealthy(message: "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory")
        #expect(w.record(fail, now: Fixture.at(0)) == [event])
        #expect(w.record(fail, now: Fixture.at(10)) == [event])
        #expect(w.record(fail, now: Fixture.at(20)) == [event, .publish(containerID: "c1", .failure)])
        // On hold until the replacement shows up.
        #expect(w.tick(running(), now: Fixture.at(30)) == [])
        #expect(w.tick(running("c2", since: 31), now: Fixture.at(40)) == [.publish(containerID: "c2", .success), .runProbe(timeout: .seconds(1))])
    }

    @Test func successBetweenFailuresResetsTheCount() {
        var w = ProbeWorker(kind: .liveness, spec: ProbeSpec(handler: exec, failureThreshold: 2), restartPolicy: .always)
        _ = w.tick(running(), now: Fixture.t0)
        _ = w.record(.failure("x"), now: Fixture.t0)
        _ = w.record(.success, now: Fixture.t0)
        #expect(w.record(.failure("x"), now: Fixture.t0) == [.unhealthy(message: "Liveness probe failed: x")])
        #expect(w.published == .success)
    }

    @Test func readinessNeedsSuccessThreshold() {
        var w = ProbeWorker(kind: .readiness, spec: ProbeSpec(handler: exec, successThreshold: 2), restartPolicy: .always)
        _ = w.tick(running(), now: Fixture.t0)
        #expect(w.record(.success, now: Fixture.t0) == [])
        #expect(w.record(.success, now: Fixture.t0) == [.publish(containerID: "c1", .success)])
        #expect(w.record(.failure("HTTP probe failed with statuscode: 503"), now: Fixture.t0).count == 1)
    }

    @Test func startupGatesTheOthers() {
        var live = ProbeWorker(kind: .liveness, spec: ProbeSpec(handler: exec), restartPolicy: .always)
        var startup = ProbeWorker(kind: .startup, spec: ProbeSpec(handler: exec), restartPolicy: .always)
        #expect(!live.tick(running(started: false), now: Fixture.t0).contains(.runProbe(timeout: .seconds(1))))
        #expect(startup.tick(running(started: false), now: Fixture.t0).contains(.runProbe(timeout: .seconds(1))))
        #expect(startup.record(.success, now: Fixture.t0) == [.publish(containerID: "c1", .success)])
        #expect(live.tick(running(started: true), now: Fixture.at(10)) == [.runProbe(timeout: .seconds(1))])
        #expect(startup.tick(running(started: true), now: Fixture.at(10)) == [])
    }

    @Test func exitedContainerFailsAndStopsUnderNever() {
        var w = ProbeWorker(kind: .readiness, spec: ProbeSpec(handler: exec), restartPolicy: .never)
        _ = w.tick(running(), now: Fixture.t0)
        _ = w.record(.success, now: Fixture.t0)
        let exited = ProbeWorker.Observation(containerID: "c1", terminated: true)
        #expect(w.tick(exited, now: Fixture.at(10)) == [.publish(containerID: "c1", .failure), .stop])
    }

    @Test(arguments: [(200, ProbeOutcome.success), (302, .success), (500, .failure("HTTP probe failed with statuscode: 500")),
                      (404, .failure("HTTP probe failed with statuscode: 404"))])
    func httpVerdicts(code: Int, outcome: ProbeOutcome) {
        #expect(ProbeOutcome.http(statusCode: code) == outcome)
    }

    @Test func errorsAreReportedAsErrored() {
        var w = ProbeWorker(kind: .startup, spec: ProbeSpec(handler: exec), restartPolicy: .always)
        _ = w.tick(running(started: false), now: Fixture.t0)
        #expect(w.record(.error("rpc error: code = Unknown"), now: Fixture.t0) == [.unhealthy(message: "Startup probe errored: rpc error: code = Unknown")])
    }
}
