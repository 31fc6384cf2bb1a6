import Foundation
import KubeAPI

/// Reads the CRI container log format the runtime writes: one record per line,
/// `<RFC3339Nano time> <stdout|stderr> <P|F> <content>`, where P marks a partial line to be
/// joined with the next record. Turns records back into the container's output, as
/// `kubectl logs` shows it. Pure.
public struct CRILogFormat: Sendable {
    public struct Record: Sendable, Equatable {
        public var time: String
        public var stream: String
        public var partial: Bool
        public var content: ArraySlice<UInt8>
    }

    public var options: LogOptions
    public var now: Date

    public init(options: LogOptions, now: Date) {
        self.options = options
        self.now = now
    }

    public static func parse(_ line: ArraySlice<UInt8>) -> Record? {
        func field(_ from: ArraySlice<UInt8>.Index) -> ArraySlice<UInt8>.Index? { line[from...].firstIndex(of: 0x20) }
        guard let a = field(line.startIndex) else { return nil }
        guard let b = field(a + 1) else { return nil }
        let tagEnd = field(b + 1) ?? line.endIndex
        let tag = line[(b + 1)..<tagEnd]
        let content = tagEnd < line.endIndex ? line[(tagEnd + 1)...] : line[line.endIndex...]
        return Record(time: String(decoding: line[line.startIndex..<a], as: UTF8.self),
                      stream: String(decoding: line[(a + 1)..<b], as: UTF8.self), partial: tag.first == UInt8(ascii: "P"),
                      content: content)
    }

    /// The output of a whole log (not following): since, tail and the byte limit applied.
    public func render(_ log: [UInt8]) -> [UInt8] {
        var lines: [[UInt8]] = []
        var pending: [UInt8] = []
        var pendingTime: String?
        let since = options.since(now: now)
        for raw in log.split(separator: 0x0A, omittingEmptySubsequences: true) {
            guard let r = Self.parse(raw) else { continue }
            if let since, let t = Timestamp.parse(r.time), t < since { continue }
            if pendingTime == nil { pendingTime = r.time }
            pending += r.content
            guard !r.partial else { continue }
            lines.append(format(time: pendingTime ?? r.time, content: pending))
            pending = []
            pendingTime = nil
        }
        if !pending.isEmpty, let pendingTime { lines.append(format(time: pendingTime, content: pending)) }
        if let tail = options.tailLines { lines = Array(lines.suffix(tail)) }
        var out = lines.flatMap { $0 }
        if let limit = options.limitBytes, out.count > limit { out = Array(out.prefix(limit)) }
        return out
    }

    /// One output line: the content, a newline, and the time first when asked for.
    public func format(time: String, content: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = options.timestamps ? Array((time + " ").utf8) : []
        out += content
        out.append(0x0A)
        return out
    }
}
