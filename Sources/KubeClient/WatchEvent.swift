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

/// Splits a byte stream into newline-terminated lines, across chunk boundaries.
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: some Sequence<UInt8>, _ emit: ([UInt8]) throws -> Void) rethrows {
        for b in bytes {
            if b == UInt8(ascii: "\n") {
                if !pending.isEmpty { try emit(pending) }
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(b)
            }
        }
    }
}
