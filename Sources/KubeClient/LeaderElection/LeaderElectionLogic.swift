import Foundation

/// The decisions of leader election through a Lease, as Kubernetes' client-go makes them, apart
/// from the API calls: a candidate takes the lease when it is free or when its holder has not
/// renewed it within its duration, measured on the candidate's own monotonic clock from when it
/// last saw the record change (so clock skew between servers does not matter).
public struct LeaderElectionLogic: Sendable {
    public enum Decision: Sendable, Equatable {
        /// No Lease exists: create it with this record.
        case create(LeaseRecord)
        /// Write this record (a renewal, or a takeover of an expired or released lease).
        case update(LeaseRecord)
        /// Someone else holds a live lease.
        case wait(holder: String)
    }

    public let identity: String
    public let leaseDuration: Duration
    public private(set) var observed: LeaseRecord?
    /// When `observed` last changed, on the monotonic clock the caller passes as `now`.
    public private(set) var observedAt: Duration?

    public init(identity: String, leaseDuration: Duration) {
        self.identity = identity
        self.leaseDuration = leaseDuration
    }

    /// Records what the API returned (nil: no Lease).
    public mutating func observe(_ record: LeaseRecord?, now: Duration) {
        if record != observed || observedAt == nil {
            observed = record
            observedAt = now
        }
    }

    public func decide(now: Duration, wallClock: Date) -> Decision {
        let seconds = leaseDuration.components.seconds
        guard let current = observed else {
            return .create(LeaseRecord(holderIdentity: identity, leaseDurationSeconds: seconds,
                                       acquireTime: wallClock, renewTime: wallClock, leaseTransitions: 0))
        }
        if current.holderIdentity == identity {
            var renewed = current
            renewed.renewTime = wallClock
            renewed.leaseDurationSeconds = seconds
            if renewed.acquireTime == nil { renewed.acquireTime = wallClock }
            return .update(renewed)
        }
        if !current.holderIdentity.isEmpty, let observedAt, now < observedAt + .seconds(current.leaseDurationSeconds) {
            return .wait(holder: current.holderIdentity)
        }
        return .update(LeaseRecord(holderIdentity: identity, leaseDurationSeconds: seconds, acquireTime: wallClock,
                                   renewTime: wallClock, leaseTransitions: current.leaseTransitions + 1))
    }

    /// The record that gives the lease up on shutdown, so another candidate need not wait for it
    /// to expire; nil when this candidate does not hold it.
    public func release(wallClock: Date) -> LeaseRecord? {
        guard let current = observed, current.holderIdentity == identity else { return nil }
        return LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: wallClock, renewTime: wallClock,
                           leaseTransitions: current.leaseTransitions)
    }
}
