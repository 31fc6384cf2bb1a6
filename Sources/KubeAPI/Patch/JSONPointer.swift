/// An RFC 6901 pointer such as `/spec/containers/0/image` (`~1` is `/`, `~0` is `~`).
struct JSONPointer: Sendable, Equatable {
    var tokens: [String]

    init(_ text: String) throws(PatchError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw PatchError("JSON pointer \"\(text)\" must start with '/'") }
        tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            // "~01" is "~1", so "~1" is decoded before "~0".
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    var text: String { tokens.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined() }

    func isPrefix(of other: JSONPointer) -> Bool {
        other.tokens.count > tokens.count && Array(other.tokens.prefix(tokens.count)) == tokens
    }

    /// The array index a token names, for reading or replacing (0..<count).
    static func index(_ token: String, count: Int, forInsert: Bool) throws(PatchError) -> Int {
        if forInsert && token == "-" { return count }
        guard let i = Int(token), i >= 0, String(i) == token else {
            throw PatchError("invalid array index \"\(token)\"")
        }
        guard forInsert ? i <= count : i < count else {
            throw PatchError("array index \(i) out of bounds (length \(count))")
        }
        return i
    }
}
