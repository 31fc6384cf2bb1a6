import Foundation

/// What a backoff entry is about: restarts of one container, or pulls of one image, in one pod.
public enum BackoffKey: Sendable, Hashable {
    /// The spec hash is part of the key so that a changed image starts with a fresh backoff.
    case container(podUID: String, name: String, specHash: UInt32)
    case image(podUID: String, image: String)
}

/// Exponential backoff per key with Kubernetes' constants and semantics (client-go flowcontrol):
/// the delay starts at 10 s, doubles per failure up to 300 s, and an entry resets once the event
/// it is asked about comes more than twice the cap (600 s) after its last update, i.e. after ten
/// minutes without a new backoff. Time is passed in, so tests need no sleeping.
public struct Backoff: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var delay: Duration
        var lastUpdate: Date
    }

    public let initial: Duration
    public let cap: Duration
    private(set) var entries: [BackoffKey: Entry] = [:]

    public init(initial: Duration = .seconds(10), cap: Duration = .seconds(300)) {
        self.initial = initial
        self.cap = cap
    }

    /// The current delay for a key, nil when it is not backing off.
    public func delay(_ key: BackoffKey) -> Duration? { entries[key]?.delay }

    /// Whether an event (a container's exit) at `eventTime` is still inside its backoff window.
    public func isInBackoff(_ key: BackoffKey, since eventTime: Date, now: Date) -> Bool {
        guard let e = entries[key], !expired(eventTime, e) else { return false }
        return now.timeIntervalSince(eventTime) < e.delay.seconds
    }

    /// Whether less than the delay has passed since the last failure was recorded (image pulls).
    public func isInBackoffSinceUpdate(_ key: BackoffKey, now: Date) -> Bool {
        guard let e = entries[key], !expired(now, e) else { return false }
        return now.timeIntervalSince(e.lastUpdate) < e.delay.seconds
    }

    /// Time left in the window that started at the last recorded failure (image pulls).
    public func remainingSinceUpdate(_ key: BackoffKey, now: Date) -> Duration? {
        guard let e = entries[key], !expired(now, e) else { return nil }
        let left = e.delay.seconds - now.timeIntervalSince(e.lastUpdate)
        return left > 0 ? .milliseconds(Int64(left * 1000)) : nil
    }

    /// Records one more failure (or a restart after one): first or stale → initial, else doubled.
    public mutating func next(_ key: BackoffKey, eventTime: Date, now: Date) {
        if let e = entries[key], !expired(eventTime, e) {
            entries[key] = Entry(delay: min(e.delay * 2, cap), lastUpdate: now)
        } else {
            entries[key] = Entry(delay: initial, lastUpdate: now)
        }
    }

    /// Forgets a key, e.g. after a successful image pull.
    public mutating func reset(_ key: BackoffKey) { entries[key] = nil }

    /// Drops stale entries so a long-lived kubelet does not accumulate keys of deleted pods.
    public mutating func collectGarbage(now: Date) {
        entries = entries.filter { !expired(now, $0.value) }
    }

    private func expired(_ eventTime: Date, _ e: Entry) -> Bool {
        eventTime.timeIntervalSince(e.lastUpdate) > (cap * 2).seconds
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
