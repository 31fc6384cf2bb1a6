import KubeAPI

/// One line of a watch stream.
public struct WatchEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK", error = "ERROR"
    }

    public var type: Kind
    public var object: JSON

    public init(type: Kind, object: JSON) {
        self.type = type
        self.object = object
    }

    /// Parses `{"type":…,"object":…}`; nil for a line that is not an event.
    public init?(line: [UInt8]) {
        guard let json = try? JSONParser.parse(line), let t = json["type"]?.string.flatMap(Kind.init(rawValue:)),
              let object = json["object"] else { return nil }
        self.init(type: t, object: object)
    }
}

/// Splits a byte stream into newline-terminated lines, across chunk boundaries. A chunk is
/// searched for newlines and copied a line at a time, not a byte at a time.
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: some Collection<UInt8>, _ emit: ([UInt8]) -> Void) {
        if bytes.withContiguousStorageIfAvailable({ feed(buffer: $0, emit) }) == nil {
            Array(bytes).withUnsafeBufferPointer { feed(buffer: $0, emit) }
        }
    }

    private mutating func feed(buffer: UnsafeBufferPointer<UInt8>, _ emit: ([UInt8]) -> Void) {
        var start = 0
        while start < buffer.count, let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<nl]))
            if !pending.isEmpty { emit(pending) }
            pending.removeAll(keepingCapacity: true)
            start = nl + 1
        }
        if start < buffer.count { pending.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...])) }
    }
}
