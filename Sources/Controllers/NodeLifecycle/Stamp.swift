import Foundation

/// RFC 3339 times as the API writes them (seconds, or micro/nanoseconds for Lease renewTime).
enum Stamp {
    static func parse(_ text: String?) -> Date? {
        guard let text else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        // More than millisecond precision: drop the extra digits.
        if let dot = text.firstIndex(of: "."), let z = text.lastIndex(where: { $0 == "Z" || $0 == "+" }) {
            return f.date(from: String(text[..<dot]) + String(text[z...]))
        }
        return nil
    }

    static func string(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
