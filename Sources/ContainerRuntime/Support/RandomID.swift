/// 64 hex characters, the shape of container and sandbox IDs.
enum RandomID {
    static func make() -> String {
        (0..<4).map { _ in
            let hex = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
