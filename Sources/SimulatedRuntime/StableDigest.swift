import Crypto

/// sha256 of a string as 64 lowercase hex digits: image ids for a reference, container ids.
enum StableDigest {
    static func hex(of text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
