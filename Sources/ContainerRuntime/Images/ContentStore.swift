import Foundation

/// Blobs stored by digest under `root/sha256/HEX`; content is verified before it is stored.
struct ContentStore: Sendable {
    let root: String

    init(root: String) throws {
        self.root = root
        try Files.mkdir(root + "/sha256")
    }

    func path(_ digest: String) -> String {
        root + "/sha256/" + digest.replacingOccurrences(of: "sha256:", with: "")
    }

    func has(_ digest: String) -> Bool { Files.exists(path(digest)) }

    func put(_ data: Data, digest: String) throws {
        let computed = RegistryClient.digest(of: data)
        guard computed == digest else { throw RuntimeError.io("content digest mismatch: expected \(digest), got \(computed)") }
        try Files.writeAtomically(data, to: path(digest))
    }

    func get(_ digest: String) throws -> Data {
        guard let data = Files.read(path(digest)) else { throw RuntimeError.notFound("blob \(digest) not in the content store") }
        return data
    }

    func remove(_ digest: String) { Files.remove(path(digest)) }

    func size(_ digest: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path(digest)))?[.size] as? NSNumber)?.uint64Value ?? 0
    }
}
