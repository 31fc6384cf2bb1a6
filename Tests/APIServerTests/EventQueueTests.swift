import Synchronization
import Testing
@testable import APIServer

@Suite struct EventQueueTests {
    final class Calls: Sendable {
        let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
    }

    @Test func notifiesOnceUntilTaken() {
        let q = EventQueue()
        let calls = Calls()
        q.push(.bookmark(1))
        q.notify { calls.count.withLock { $0 += 1 } }
        // What was pending before is the writer's to take; registering counts as notified.
        q.push(.bookmark(2))
        #expect(calls.value == 0)
        var (items, closed) = q.take()
        #expect(items.count == 2)
        #expect(!closed)
        q.push(.bookmark(3))
        q.push(.bookmark(4))
        #expect(calls.value == 1)
        (items, closed) = q.take()
        #expect(items.count == 2)
        (items, closed) = q.take()
        #expect(items.isEmpty)
        #expect(!closed)
    }

    @Test func closingNotifiesAndIsSeenByTake() {
        let q = EventQueue()
        let calls = Calls()
        q.notify { calls.count.withLock { $0 += 1 } }
        _ = q.take()
        q.close()
        q.close()
        #expect(calls.value == 1)
        let (items, closed) = q.take()
        #expect(items.isEmpty)
        #expect(closed)
        q.push(.bookmark(5))
        #expect(q.take().items.isEmpty)
    }

    @Test func overflowingClosesAndDropsWhatWasPending() {
        let q = EventQueue(limit: 3)
        let calls = Calls()
        q.notify { calls.count.withLock { $0 += 1 } }
        _ = q.take()
        for i in 0..<4 { q.push(.bookmark(Int64(i))) }
        #expect(calls.value == 1)
        let (items, closed) = q.take()
        #expect(items.isEmpty)
        #expect(closed)
    }
}
