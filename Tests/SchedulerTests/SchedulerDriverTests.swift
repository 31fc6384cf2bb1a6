import KubeAPI
import Logging
import Testing
@testable import Scheduler

@Suite struct SchedulerDriverTests {
    final class Harness: Sendable {
        let api: FakeSchedulerAPI
        let clock = ManualClock()
        let scheduler: Scheduler
        let task: Task<Void, any Error>

        convenience init(nodes: [JSON] = [], pods: [JSON] = []) throws {
            try self.init(api: FakeSchedulerAPI(nodes: nodes, pods: pods))
        }

        init(api: FakeSchedulerAPI) throws {
            self.api = api
            scheduler = try Scheduler(api: api, clock: clock, logger: Logger(label: "test"))
            let s = scheduler
            task = Task { try await s.run() }
        }

        func stop() async {
            task.cancel()
            _ = await task.result
        }

        /// Polls (real time, briefly) until `condition` holds; the scheduler runs concurrently.
        func eventually(_ what: String, _ condition: () async -> Bool) async {
            for _ in 0..<2000 {
                if await condition() { return }
                try? await Task.sleep(for: .milliseconds(2))
            }
            Issue.record("timed out waiting for \(what)")
        }

        /// Advances the clock in steps (1 s by default), letting the flush loop run after each.
        func advance(seconds: Int, step: Int = 1) async {
            for _ in 0..<(seconds / step) {
                clock.advance(by: .seconds(step))
                for _ in 0..<20 { await Task.yield() }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
    }

    @Test func bindsPodsAndRecordsScheduled() async throws {
        let h = try Harness(nodes: [Fixture.node("n1"), Fixture.node("n2")], pods: [Fixture.pod("a"), Fixture.pod("b")])
        await h.eventually("both bound") { h.api.bindCount == 2 }
        #expect(h.api.nodeName(namespace: "default", name: "a") != nil)
        h.api.addPod(Fixture.pod("c"))
        await h.eventually("c bound") { h.api.nodeName(namespace: "default", name: "c") != nil }
        await h.eventually("events") { h.api.recordedEvents.count == 3 }
        let scheduled = h.api.recordedEvents.first { $0.podName == "c" }!
        #expect(scheduled.reason == "Scheduled")
        #expect(scheduled.type == .normal)
        #expect(scheduled.message == "Successfully assigned default/c to \(h.api.nodeName(namespace: "default", name: "c")!)")
        await h.stop()
    }

    @Test func ignoresPodsItIsNotResponsibleFor() async throws {
        var other = Fixture.pod("other")
        other[path: ["spec", "schedulerName"]] = "my-scheduler"
        var done = Fixture.pod("done")
        done[path: ["status", "phase"]] = "Succeeded"
        var deleting = Fixture.pod("deleting")
        deleting[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z"
        let h = try Harness(nodes: [Fixture.node("n1")], pods: [other, done, deleting, Fixture.pod("mine")])
        await h.eventually("mine bound") { h.api.bindCount == 1 }
        await h.advance(seconds: 2)
        #expect(h.api.bindCount == 1)
        #expect(h.api.nodeName(namespace: "default", name: "mine") == "n1")
        await h.stop()
    }

    @Test func impossiblePodIsMarkedUnschedulableWithEvent() async throws {
        let big = Fixture.pod("big", containers: [Fixture.container(cpu: "64")])
        let h = try Harness(nodes: [Fixture.node("n1"), Fixture.node("n2"), Fixture.node("n3", taints: [Fixture.taint("node.kubernetes.io/unreachable", "", "NoExecute")])],
                            pods: [big])
        let message = "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu."
            + " preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        await h.eventually("condition written") {
            h.api.pod(namespace: "default", name: "big")?["status"]?["conditions"]?.array?.first?["reason"]?.string == "Unschedulable"
        }
        let condition = h.api.pod(namespace: "default", name: "big")!["status"]!["conditions"]!.array!.first!
        #expect(condition["type"] == "PodScheduled")
        #expect(condition["status"] == "False")
        #expect(condition["message"]?.string == message)
        await h.eventually("event recorded") { !h.api.recordedEvents.isEmpty }
        guard let event = h.api.recordedEvents.first else { return }
        #expect(event.reason == "FailedScheduling")
        #expect(event.type == .warning)
        #expect(event.message == message)
        #expect(await h.scheduler.queueCounts()[.unschedulable] == 1)
        await h.stop()
    }

    @Test func nodeAddedLaterMakesPodSchedulable() async throws {
        let h = try Harness(pods: [Fixture.pod("waiting", containers: [Fixture.container(cpu: "2")])])
        await h.eventually("failure reported") { h.api.recordedEvents.contains { $0.message == "no nodes available to schedule pods" } }
        await h.eventually("parked") { await h.scheduler.queueCounts()[.unschedulable] == 1 }
        // The new node is too small; the retry waits out the first backoff (1 s).
        h.api.addNode(Fixture.node("small", cpu: "1"))
        await h.eventually("backing off") { await h.scheduler.queueCounts()[.backoff] == 1 }
        await h.advance(seconds: 1)
        await h.eventually("second failure") { h.api.recordedEvents.contains { $0.message.hasPrefix("0/1 nodes are available: 1 Insufficient cpu.") } }
        await h.eventually("parked again") { await h.scheduler.queueCounts()[.unschedulable] == 1 }
        h.api.addNode(Fixture.node("big", cpu: "4"))
        // The second backoff is 2 s.
        await h.advance(seconds: 1)
        #expect(h.api.bindCount == 0)
        await h.advance(seconds: 1)
        await h.eventually("bound to the new node") { h.api.nodeName(namespace: "default", name: "waiting") == "big" }
        await h.stop()
    }

    @Test func podDeletedWhileQueuedIsDropped() async throws {
        let h = try Harness(nodes: [Fixture.node("n1", cpu: "1")], pods: [Fixture.pod("huge", containers: [Fixture.container(cpu: "8")])])
        await h.eventually("parked") { await h.scheduler.queueCounts()[.unschedulable] == 1 }
        h.api.deletePod(namespace: "default", name: "huge")
        await h.eventually("dropped") { await h.scheduler.queueCounts().values.reduce(0, +) == 0 }
        h.api.updateNode(Fixture.node("n1", cpu: "16"))
        await h.advance(seconds: 2)
        #expect(h.api.bindCount == 0)
        await h.stop()
    }

    @Test func deletingAnAssignedPodFreesRoom() async throws {
        var running = Fixture.pod("running", containers: [Fixture.container(cpu: "1")])
        running[path: ["spec", "nodeName"]] = "n1"
        let h = try Harness(nodes: [Fixture.node("n1", cpu: "1")], pods: [running, Fixture.pod("next", containers: [Fixture.container(cpu: "1")])])
        await h.eventually("parked") { await h.scheduler.queueCounts()[.unschedulable] == 1 }
        await h.eventually("event") { h.api.recordedEvents.first?.message.hasPrefix("0/1 nodes are available: 1 Insufficient cpu.") == true }
        h.api.deletePod(namespace: "default", name: "running")
        await h.advance(seconds: 1)
        await h.eventually("next bound") { h.api.nodeName(namespace: "default", name: "next") == "n1" }
        await h.stop()
    }

    @Test func bindingFailureRetriesAfterBackoff() async throws {
        let api = FakeSchedulerAPI(nodes: [Fixture.node("n1")])
        api.failNextBinds(1)
        api.addPod(Fixture.pod("a"))
        let h = try Harness(api: api)
        await h.eventually("failure event") { api.recordedEvents.contains { $0.reason == "FailedScheduling" } }
        #expect(api.bindCount == 0)
        #expect(await h.scheduler.queueCounts()[.backoff] == 1)
        await h.advance(seconds: 2)
        await h.eventually("bound on retry") { api.nodeName(namespace: "default", name: "a") == "n1" }
        #expect(api.recordedEvents.last?.reason == "Scheduled")
        await h.stop()
    }

    @Test func bindingConflictDropsPod() async throws {
        // The store holds a pod "b" (new uid) already bound; the scheduler is shown a stale,
        // unassigned copy with the old uid, so the binding's uid precondition fails.
        var current = Fixture.pod("b", uid: "new")
        current[path: ["spec", "nodeName"]] = "n1"
        let h = try Harness(nodes: [Fixture.node("n1")], pods: [current])
        await h.eventually("lists applied") { await h.scheduler.listed.count == 2 }
        await h.scheduler.apply(.modified(.pod, Fixture.pod("b", uid: "old")))
        await h.eventually("dropped") { await h.scheduler.queueCounts().values.reduce(0, +) == 0 && h.api.bindCount == 0 }
        await h.advance(seconds: 2)
        #expect(h.api.bindCount == 0)
        #expect(await h.scheduler.scheduledCount == 0)
        #expect(h.api.recordedEvents.isEmpty)
        await h.stop()
    }

    @Test func endsWhenTheEventStreamEnds() async throws {
        let h = try Harness(nodes: [Fixture.node("n1")])
        h.api.finish()
        _ = await h.task.result
    }
}

extension SchedulerDriverTests {
    @Test func relistDropsPodsThatAreGone() async throws {
        let h = try Harness(nodes: [Fixture.node("n1", cpu: "1")], pods: [Fixture.pod("huge", containers: [Fixture.container(cpu: "8")])])
        await h.eventually("parked") { await h.scheduler.queueCounts()[.unschedulable] == 1 }
        await h.scheduler.apply(.listed(.pod, []))
        #expect(await h.scheduler.queueCounts().values.reduce(0, +) == 0)
        await h.scheduler.apply(.listed(.node, []))
        await h.scheduler.apply(.added(.pod, Fixture.pod("next")))
        await h.eventually("no nodes") { h.api.recordedEvents.contains { $0.podName == "next" && $0.message == "no nodes available to schedule pods" } }
        await h.stop()
    }
}

extension SchedulerDriverTests {
    @Test func gatedPodWaitsUntilItsGatesAreRemoved() async throws {
        let gated = Fixture.pod("gated", spec: [("schedulingGates", [["name": "example.com/wait"]])])
        let h = try Harness(nodes: [Fixture.node("n1")], pods: [gated, Fixture.pod("free")])
        await h.eventually("free bound") { h.api.nodeName(namespace: "default", name: "free") != nil }
        #expect(h.api.nodeName(namespace: "default", name: "gated") == nil)
        h.api.updatePod(Fixture.pod("gated"))
        await h.eventually("gated bound") { h.api.nodeName(namespace: "default", name: "gated") == "n1" }
        await h.stop()
    }
}

extension SchedulerDriverTests {
    @Test func parkedPodIsRetriedAfterFiveMinutesWithoutAnyChange() async throws {
        let h = try Harness(nodes: [Fixture.node("n1", cpu: "1")], pods: [Fixture.pod("huge", containers: [Fixture.container(cpu: "8")])])
        await h.eventually("parked") { await h.scheduler.queueCounts()[.unschedulable] == 1 }
        await h.advance(seconds: 270, step: 30)
        #expect(h.api.recordedEvents.count == 1)
        await h.advance(seconds: 60, step: 30)
        await h.eventually("retried") { h.api.recordedEvents.count == 2 }
        // Each attempt gets an event; the unchanged message is not written to the pod's status again.
        #expect(h.api.recordedEvents.map(\.message) == Array(repeating: h.api.recordedEvents[0].message, count: 2))
        #expect(h.api.statusWriteCount == 1)
        await h.stop()
    }
}
