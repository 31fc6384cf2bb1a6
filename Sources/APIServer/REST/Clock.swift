import Foundation

/// Wall-clock time for object timestamps, injectable for tests.
public struct WallClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    public static let system = WallClock()

    /// RFC 3339 with second precision in UTC, as Kubernetes writes metav1.Time.
    public func timestamp(offset: TimeInterval = 0) -> String { Self.format(now().addingTimeInterval(offset)) }

    public static func format(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        func p2(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tm.tm_year + 1900)-\(p2(tm.tm_mon + 1))-\(p2(tm.tm_mday))T\(p2(tm.tm_hour)):\(p2(tm.tm_min)):\(p2(tm.tm_sec))Z"
    }

    /// Parses RFC 3339 (`2026-12-01T08:15:10Z`, fractional seconds and offsets allowed).
    public static func parse(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}
