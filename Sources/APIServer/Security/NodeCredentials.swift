import Crypto
import Foundation

/// Per-node bearer tokens and the cluster's join token.
///
/// A node token is `skiff-node.<node>.<mac>`, the mac an HMAC-SHA256 of the node name under a
/// cluster secret: the server checks it by recomputing, so no token table is stored. The join
/// token (`skiff-join.<secret>`) only lets an agent ask for its node's token (`skiff agent`
/// does that once and keeps the result).
public struct NodeCredentials: Sendable {
    public static let nodePrefix = "skiff-node."
    public static let joinPrefix = "skiff-join."
    let secret: [UInt8]
    public let joinToken: String

    public init(secret: [UInt8], joinToken: String) {
        self.secret = secret
        self.joinToken = joinToken
    }

    /// Reads `pki/node-secret` and `pki/join-token` under `dir`, creating them the first time.
    public static func loadOrCreate(dir: String) throws -> NodeCredentials {
        let pki = dir + "/pki"
        try FileManager.default.createDirectory(atPath: pki, withIntermediateDirectories: true)
        func readOrWrite(_ file: String, _ make: () -> String) throws -> String {
            let path = pki + "/" + file
            if let s = try? String(contentsOfFile: path, encoding: .utf8), !s.isEmpty {
                return s.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let s = make()
            try s.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            return s
        }
        let secret = try readOrWrite("node-secret") { hex(randomBytes(32)) }
        let join = try readOrWrite("join-token") { joinPrefix + hex(randomBytes(16)) }
        return NodeCredentials(secret: Array(secret.utf8), joinToken: join)
    }

    public func token(forNode node: String) -> String {
        Self.nodePrefix + node + "." + mac(node)
    }

    /// The node a node token belongs to, if its mac is right.
    public func node(forToken token: String) -> String? {
        guard token.hasPrefix(Self.nodePrefix) else { return nil }
        let rest = token.dropFirst(Self.nodePrefix.count)
        guard let dot = rest.lastIndex(of: ".") else { return nil }
        let node = String(rest[..<dot])
        let given = Array(rest[rest.index(after: dot)...].utf8)
        let want = Array(mac(node).utf8)
        guard !node.isEmpty, given.count == want.count else { return nil }
        // Constant time: every byte is compared.
        var diff: UInt8 = 0
        for (a, b) in zip(given, want) { diff |= a ^ b }
        return diff == 0 ? node : nil
    }

    public func isJoinToken(_ token: String) -> Bool {
        let a = Array(token.utf8), b = Array(joinToken.utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }

    private func mac(_ node: String) -> String {
        Self.hex(Array(HMAC<SHA256>.authenticationCode(for: Array(node.utf8), using: SymmetricKey(data: secret))))
    }

    static func randomBytes(_ n: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
