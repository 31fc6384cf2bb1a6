/// Go's `time.Duration.String()`, because Kubernetes' messages embed it ("back-off 5m0s", "in 1.2s").
enum GoDuration {
    static func format(_ d: Duration) -> String {
        let (s, atto) = d.components
        var nanos = Int64(s) * 1_000_000_000 + atto / 1_000_000_000
        if nanos == 0 { return "0s" }
        let negative = nanos < 0
        if negative { nanos = -nanos }
        let sign = negative ? "-" : ""
        if nanos < 1_000 { return "\(sign)\(nanos)ns" }
        if nanos < 1_000_000 { return sign + fraction(nanos, 1_000) + "µs" }
        if nanos < 1_000_000_000 { return sign + fraction(nanos, 1_000_000) + "ms" }
        let hours = nanos / 3_600_000_000_000
        let minutes = (nanos / 60_000_000_000) % 60
        let secs = fraction(nanos % 60_000_000_000, 1_000_000_000) + "s"
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(secs)" }
        if minutes > 0 { return "\(sign)\(minutes)m\(secs)" }
        return sign + secs
    }

    /// `value / unit` with the remainder's trailing zeros trimmed, as Go prints it.
    private static func fraction(_ value: Int64, _ unit: Int64) -> String {
        let whole = value / unit
        var rest = value % unit
        guard rest != 0 else { return String(whole) }
        var digits = String(unit).count - 1
        while rest % 10 == 0 { rest /= 10; digits -= 1 }
        let padded = String(repeating: "0", count: digits - String(rest).count) + String(rest)
        return "\(whole).\(padded)"
    }

    /// Truncates to whole milliseconds, as the kubelet does before printing pull times.
    static func truncatedToMilliseconds(_ d: Duration) -> Duration {
        let (s, atto) = d.components
        return .seconds(s) + .milliseconds(atto / 1_000_000_000_000_000)
    }
}
