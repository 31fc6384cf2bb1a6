import Foundation

/// CRI timestamps are nanoseconds since the Unix epoch.
enum Timestamp {
    static func nanos(_ date: Date = Date()) -> Int64 { Int64(date.timeIntervalSince1970 * 1_000_000_000) }
}
