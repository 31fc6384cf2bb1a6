import Foundation
import KubeAPI

/// Wall-clock time for object timestamps, injectable for tests.
public struct WallClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    public static let system = WallClock()

    /// RFC 3339 with second precision in UTC, as Kubernetes writes metav1.Time.
    public func timestamp(offset: TimeInterval = 0) -> String { Self.format(now().addingTimeInterval(offset)) }

    public static func format(_ d: Date) -> String { Timestamp.string(d) }

    /// Parses RFC 3339 (`2026-12-01T08:15:10Z`, fractional seconds and offsets allowed), without
    /// Foundation's formatters (ICU): tables and the Event sweep parse many of these.
    public static func parse(_ s: String) -> Date? { Timestamp.parse(s) }
}
