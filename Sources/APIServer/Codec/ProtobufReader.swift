/// A minimal protobuf wire-format reader: enough to walk the messages kubectl sends.
struct ProtobufReader {
    enum Field {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed64(UInt64)
        case fixed32(UInt32)
    }

    struct Malformed: Error {}

    private var data: ArraySlice<UInt8>

    init(_ data: ArraySlice<UInt8>) { self.data = data }

    mutating func next() throws -> (Int, Field)? {
        guard !data.isEmpty else { return nil }
        let tag = try varint()
        let number = Int(tag >> 3)
        switch tag & 7 {
        case 0: return (number, .varint(try varint()))
        case 1:
            guard data.count >= 8 else { throw Malformed() }
            var v: UInt64 = 0
            for (i, b) in data.prefix(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
            data = data.dropFirst(8)
            return (number, .fixed64(v))
        case 2:
            let len = Int(try varint())
            guard len >= 0, data.count >= len else { throw Malformed() }
            let slice = data.prefix(len)
            data = data.dropFirst(len)
            return (number, .bytes(slice))
        case 5:
            guard data.count >= 4 else { throw Malformed() }
            var v: UInt32 = 0
            for (i, b) in data.prefix(4).enumerated() { v |= UInt32(b) << (8 * UInt32(i)) }
            data = data.dropFirst(4)
            return (number, .fixed32(v))
        default:
            throw Malformed()
        }
    }

    private mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while let b = data.first {
            data = data.dropFirst()
            v |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return v }
            shift += 7
            if shift > 63 { throw Malformed() }
        }
        throw Malformed()
    }

    /// All fields of a message, by number, in order.
    static func fields(_ data: ArraySlice<UInt8>) throws -> [(Int, Field)] {
        var r = ProtobufReader(data)
        var out: [(Int, Field)] = []
        while let f = try r.next() { out.append(f) }
        return out
    }
}

extension ProtobufReader.Field {
    var bytes: ArraySlice<UInt8>? { if case .bytes(let b) = self { return b } else { return nil } }
    var string: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
    var varint: UInt64? { if case .varint(let v) = self { return v } else { return nil } }
}
