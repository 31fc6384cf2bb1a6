@testable import ContainerRuntime
import CRI
import Testing

/// A clock that moves only when told.
final class ManualClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let current = LockedValue(Instant(offset: .zero))
    var now: Instant { current.get() }
    var minimumResolution: Duration { .nanoseconds(1) }

    func advance(by duration: Duration) { current.withValue { $0 = $0.advanced(by: duration) } }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}

@Suite struct StreamRequestCacheTests {
    let exec = StreamRequest.exec(.with { $0.containerID = "c1"; $0.cmd = ["ls"]; $0.stdout = true })

    @Test func tokensAreSingleUse() throws {
        let cache = StreamRequestCache(clock: ManualClock())
        let token = try cache.insert(exec)
        #expect(token.count >= 20)
        #expect(!token.contains("/") && !token.contains("+") && !token.contains("="))
        #expect(cache.consume(token) == exec)
        #expect(cache.consume(token) == nil)
        #expect(cache.consume("unknown") == nil)
    }

    @Test func tokensExpireAfterAMinute() throws {
        let clock = ManualClock()
        let cache = StreamRequestCache(clock: clock)
        let early = try cache.insert(exec)
        clock.advance(by: .seconds(59))
        let late = try cache.insert(exec)
        #expect(cache.consume(early) == exec)
        clock.advance(by: .seconds(2))
        let expired = try cache.insert(exec)
        clock.advance(by: .seconds(60))
        #expect(cache.consume(expired) == nil)
        #expect(cache.consume(late) == nil)
    }

    @Test func capacityCountsOnlyLiveRequests() throws {
        let clock = ManualClock()
        let cache = StreamRequestCache(clock: clock, capacity: 2)
        _ = try cache.insert(exec)
        _ = try cache.insert(exec)
        #expect(throws: RuntimeError.self) { try cache.insert(exec) }
        clock.advance(by: .seconds(61))
        _ = try cache.insert(exec)
        #expect(cache.count == 1)
    }
}
