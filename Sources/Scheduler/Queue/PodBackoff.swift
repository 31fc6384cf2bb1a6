/// How long a pod waits before another attempt: 1 s, doubling per attempt, capped at 10 s
/// (podInitialBackoffSeconds / podMaxBackoffSeconds upstream).
public struct PodBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(10)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after `attempts` failed attempts (1 → initial).
    public func duration(attempts: Int) -> Duration {
        var d = initial
        var i = 1
        while i < attempts {
            d *= 2
            if d > maximum { return maximum }
            i += 1
        }
        return min(d, maximum)
    }
}
