import Foundation

/// Ages as kubectl shows them (`45s`, `3m12s`, `5h`, `2d3h`, `400d`, `3y20d`).
public enum HumanDuration {
    public static func format(_ seconds: TimeInterval) -> String {
        if seconds < -1 { return "<invalid>" }
        let s = Int(max(0, seconds))
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 {
            return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s"
        }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        if h < 24 * 8 { return h % 24 == 0 ? "\(h / 24)d" : "\(h / 24)d\(h % 24)h" }
        if h < 24 * 365 * 2 { return "\(h / 24)d" }
        let y = h / (24 * 365)
        if y < 8 { return "\(y)y\((h % (24 * 365)) / 24)d" }
        return "\(y)y"
    }

    public static func age(of timestamp: String?, now: Date) -> String {
        guard let t = timestamp, let d = WallClock.parse(t) else { return "<unknown>" }
        return format(now.timeIntervalSince(d))
    }
}
