import Foundation
import KubeAPI
import KubeClient
import Testing

@Suite("Leader election decisions")
struct LeaderElectionLogicTests {
    let wall = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func noLeaseMeansCreateOneHeldByUs() {
        var a = LeaderElectionLogic(identity: "a", leaseDuration: .seconds(15))
        a.observe(nil, now: .seconds(0))
        #expect(a.decide(now: .seconds(0), wallClock: wall) == .create(LeaseRecord(
            holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: wall, renewTime: wall, leaseTransitions: 0)))
    }

    @Test func aLiveLeaseOfAnotherHolderIsLeftAloneUntilItExpiresOnOurClock() {
        var b = LeaderElectionLogic(identity: "b", leaseDuration: .seconds(15))
        // The holder's renewTime is far in the past by our wall clock: skew must not matter, only
        // how long we have seen the record unchanged.
        let held = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: wall - 3600,
                               renewTime: wall - 3600, leaseTransitions: 2)
        b.observe(held, now: .seconds(100))
        #expect(b.decide(now: .seconds(100), wallClock: wall) == .wait(holder: "a"))
        b.observe(held, now: .seconds(114))
        #expect(b.decide(now: .seconds(114), wallClock: wall) == .wait(holder: "a"))
        // A renewal restarts the wait.
        var renewed = held
        renewed.renewTime = wall - 3590
        b.observe(renewed, now: .seconds(114))
        #expect(b.decide(now: .seconds(128), wallClock: wall) == .wait(holder: "a"))
        #expect(b.decide(now: .seconds(129), wallClock: wall) == .update(LeaseRecord(
            holderIdentity: "b", leaseDurationSeconds: 15, acquireTime: wall, renewTime: wall, leaseTransitions: 3)))
    }

    @Test func theHolderRenewsKeepingAcquireTimeAndTransitions() {
        var a = LeaderElectionLogic(identity: "a", leaseDuration: .seconds(15))
        let mine = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: wall - 60,
                               renewTime: wall - 2, leaseTransitions: 4)
        a.observe(mine, now: .seconds(5))
        #expect(a.decide(now: .seconds(500), wallClock: wall) == .update(LeaseRecord(
            holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: wall - 60, renewTime: wall, leaseTransitions: 4)))
    }

    @Test func aReleasedLeaseIsTakenAtOnceAndOnlyTheHolderReleases() {
        var a = LeaderElectionLogic(identity: "a", leaseDuration: .seconds(15))
        let mine = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: wall, renewTime: wall,
                               leaseTransitions: 1)
        a.observe(mine, now: .seconds(1))
        let released = a.release(wallClock: wall)
        #expect(released?.holderIdentity == "")
        #expect(released?.leaseTransitions == 1)

        var b = LeaderElectionLogic(identity: "b", leaseDuration: .seconds(15))
        #expect(b.release(wallClock: wall) == nil)
        b.observe(released, now: .seconds(2))
        #expect(b.decide(now: .seconds(2), wallClock: wall) == .update(LeaseRecord(
            holderIdentity: "b", leaseDurationSeconds: 15, acquireTime: wall, renewTime: wall, leaseTransitions: 2)))
    }

    @Test func theRecordRoundTripsThroughALeaseSpec() {
        let record = LeaseRecord(holderIdentity: "h", leaseDurationSeconds: 15, acquireTime: wall,
                                 renewTime: wall + 0.25, leaseTransitions: 7)
        #expect(record.spec.string("renewTime") == "2027-01-15T08:00:00.250000Z")
        #expect(LeaseRecord(spec: record.spec) == record)
    }
}
