import Foundation

/// A resize message, `{"Width":W,"Height":H}`.
struct TerminalSize: Codable, Sendable, Equatable {
    var width: UInt16
    var height: UInt16

    enum CodingKeys: String, CodingKey {
        case width = "Width"
        case height = "Height"
    }

    /// The sizes in one resize message; clients send one JSON object per message, but the
    /// kubelet reads the stream as a sequence of objects, so a message may hold several.
    static func decode(_ bytes: [UInt8]) -> [TerminalSize] {
        var sizes: [TerminalSize] = []
        var depth = 0, start = 0
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "{") { if depth == 0 { start = index }; depth += 1 }
            if byte == UInt8(ascii: "}"), depth > 0 {
                depth -= 1
                if depth == 0, let size = try? JSONDecoder().decode(TerminalSize.self, from: Data(bytes[start...index])) {
                    sizes.append(size)
                }
            }
        }
        return sizes
    }
}
