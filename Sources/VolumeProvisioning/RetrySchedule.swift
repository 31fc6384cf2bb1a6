/// When a claim or volume whose provisioning or deletion failed is tried again: after 1 s,
/// doubling with every failure in a row up to 5 minutes (external-provisioner's exponential
/// backoff); a success forgets the failures.
public struct RetrySchedule: Sendable {
    private var retryAt: [String: ContinuousClock.Instant] = [:]
    private var failures: [String: Int] = [:]

    public init() {}

    public func backingOff(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        retryAt[key].map { now < $0 } ?? false
    }

    /// Records a failure; answers how long until the next try.
    @discardableResult
    public mutating func failed(_ key: String, now: ContinuousClock.Instant = .now) -> Duration {
        let n = (failures[key] ?? 0) + 1
        failures[key] = n
        let delay = Duration.seconds(min(300, 1 << min(n - 1, 9)))
        retryAt[key] = now + delay
        return delay
    }

    public mutating func succeeded(_ key: String) {
        failures[key] = nil
        retryAt[key] = nil
    }
}
