import Foundation
import Testing
@testable import Kubelet

@Suite struct BackoffTests {
    let key = BackoffKey.container(podUID: "u", name: "main", specHash: 1)

    /// A container that crashes one second after every start: the delays Kubernetes documents.
    @Test func crashLoopDelaysDoubleToTheCap() {
        var backoff = Backoff()
        var now = Fixture.t0
        var delays: [Duration] = []
        for _ in 0..<8 {
            let finished = now.addingTimeInterval(1)
            now = finished
            // Wait until the window since the exit closes, then restart.
            while backoff.isInBackoff(key, since: finished, now: now) { now = now.addingTimeInterval(1) }
            backoff.next(key, eventTime: finished, now: now)
            delays.append(backoff.delay(key)!)
        }
        #expect(delays == [10, 20, 40, 80, 160, 300, 300, 300].map { .seconds($0) })
    }

    @Test(arguments: [(599.0, Duration.seconds(40)), (601.0, Duration.seconds(10))])
    func resetsAfterTenMinutesWithoutFailure(ranFor: Double, expected: Duration) {
        var backoff = Backoff()
        backoff.next(key, eventTime: Fixture.t0, now: Fixture.t0)
        backoff.next(key, eventTime: Fixture.t0, now: Fixture.t0)
        // The container then ran `ranFor` seconds after its last restart before failing again.
        let failed = Fixture.at(ranFor)
        #expect(backoff.isInBackoff(key, since: failed, now: failed) == (ranFor < 600))
        backoff.next(key, eventTime: failed, now: failed)
        #expect(backoff.delay(key) == expected)
    }

    @Test func imagePullBackoffCountsFromTheLastFailure() {
        let image = BackoffKey.image(podUID: "u", image: "nope:1")
        var backoff = Backoff()
        #expect(!backoff.isInBackoffSinceUpdate(image, now: Fixture.t0))
        backoff.next(image, eventTime: Fixture.t0, now: Fixture.t0)
        #expect(backoff.isInBackoffSinceUpdate(image, now: Fixture.at(9.9)))
        #expect(!backoff.isInBackoffSinceUpdate(image, now: Fixture.at(10)))
        backoff.reset(image)
        #expect(backoff.delay(image) == nil)
    }

    @Test func garbageCollectionDropsStaleEntries() {
        var backoff = Backoff()
        backoff.next(key, eventTime: Fixture.t0, now: Fixture.t0)
        backoff.collectGarbage(now: Fixture.at(600))
        #expect(backoff.delay(key) != nil)
        backoff.collectGarbage(now: Fixture.at(601))
        #expect(backoff.delay(key) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(10), "10s"), (.seconds(300), "5m0s"), (.seconds(80), "1m20s"), (.milliseconds(1234), "1.234s"),
        (.milliseconds(1500), "1.5s"), (.seconds(3725), "1h2m5s"), (.milliseconds(5), "5ms"), (.zero, "0s"),
    ])
    func goDurationFormatting(d: Duration, text: String) {
        #expect(GoDuration.format(d) == text)
    }
}
