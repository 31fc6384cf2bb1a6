import KubeAPI
import Testing
@testable import Scheduler

@Suite struct QueueTests {
    static func add(_ q: inout SchedulingQueue, _ name: String, priority: Int64 = 0, now: Duration = .zero) {
        let json = Fixture.pod(name, spec: [("priority", .int(priority))])
        q.add(PodInfo(pod: json), json: json, now: now)
    }

    @Test func popsByPriorityThenAge() {
        var q = SchedulingQueue()
        Self.add(&q, "low1")
        Self.add(&q, "high", priority: 10)
        Self.add(&q, "low2")
        #expect([q.pop(), q.pop(), q.pop()].map { $0?.pod.name } == ["high", "low1", "low2"])
        #expect(q.pop() == nil)
    }

    @Test func unschedulablePodWaitsForClusterChangeThenBackoff() {
        var q = SchedulingQueue()
        Self.add(&q, "p")
        let first = q.pop()!
        q.requeueUnschedulable(uid: first.pod.uid, cycle: first.cycle, now: .seconds(0))
        #expect(q.location(of: first.pod.uid) == .unschedulable)
        q.flushBackoffCompleted(now: .seconds(100))
        #expect(q.pop() == nil)
        // A change 0.5 s after the failure: still within the 1 s backoff.
        q.moveAllToActiveOrBackoff(now: .milliseconds(500))
        #expect(q.location(of: first.pod.uid) == .backoff)
        q.flushBackoffCompleted(now: .milliseconds(999))
        #expect(q.pop() == nil)
        q.flushBackoffCompleted(now: .seconds(1))
        let second = q.pop()!
        #expect(second.attempts == 2)
        // Second failure: 2 s backoff; a change 5 s later goes straight to active.
        q.requeueUnschedulable(uid: second.pod.uid, cycle: second.cycle, now: .seconds(10))
        q.moveAllToActiveOrBackoff(now: .seconds(15))
        #expect(q.location(of: first.pod.uid) == .active)
    }

    @Test(arguments: [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (6, 10.0)])
    func backoffDoublesPerAttempt(attempts: Int, seconds: Double) {
        var q = SchedulingQueue()
        Self.add(&q, "p")
        var uid = ""
        var t = Duration.zero
        for _ in 0..<attempts {
            q.flushBackoffCompleted(now: t + .seconds(100))
            t += .seconds(100)
            let p = q.pop()!
            uid = p.pod.uid
            q.requeueBackoff(uid: uid, now: t)
        }
        #expect(q.nextBackoffExpiry == t + .milliseconds(Int64(seconds * 1000)))
        q.flushBackoffCompleted(now: t + .milliseconds(Int64(seconds * 1000)) - .milliseconds(1))
        #expect(q.location(of: uid) == .backoff)
        q.flushBackoffCompleted(now: t + .milliseconds(Int64(seconds * 1000)))
        #expect(q.location(of: uid) == .active)
    }

    @Test func leftoverUnschedulableMovesAfterFiveMinutes() {
        var q = SchedulingQueue()
        Self.add(&q, "p")
        let p = q.pop()!
        q.requeueUnschedulable(uid: p.pod.uid, cycle: p.cycle, now: .seconds(10))
        q.flushUnschedulableLeftover(now: .seconds(309))
        #expect(q.location(of: p.pod.uid) == .unschedulable)
        q.flushUnschedulableLeftover(now: .seconds(310))
        #expect(q.location(of: p.pod.uid) == .active)
    }

    @Test func changeDuringCycleSendsPodToBackoffNotUnschedulable() {
        var q = SchedulingQueue()
        Self.add(&q, "p")
        let p = q.pop()!
        q.moveAllToActiveOrBackoff(now: .zero)
        q.requeueUnschedulable(uid: p.pod.uid, cycle: p.cycle, now: .zero)
        #expect(q.location(of: p.pod.uid) == .backoff)
    }

    @Test func deletedPodIsDropped() {
        var q = SchedulingQueue()
        Self.add(&q, "a")
        Self.add(&q, "b")
        q.delete(uid: "uid-default-a")
        #expect(q.pop()?.pod.name == "b")
        #expect(q.pop() == nil)
    }

    @Test func specChangeRetriesParkedPodButStatusChangeDoesNot() {
        var q = SchedulingQueue()
        var json = Fixture.pod("p")
        q.add(PodInfo(pod: json), json: json, now: .zero)
        let p = q.pop()!
        q.requeueUnschedulable(uid: p.pod.uid, cycle: p.cycle, now: .zero)
        json[path: ["status", "conditions"]] = [["type": "PodScheduled", "status": "False"]]
        q.add(PodInfo(pod: json), json: json, now: .seconds(5))
        #expect(q.location(of: p.pod.uid) == .unschedulable)
        json[path: ["spec", "tolerations"]] = [["operator": "Exists"]]
        q.add(PodInfo(pod: json), json: json, now: .seconds(5))
        #expect(q.location(of: p.pod.uid) == .active)
    }
}
