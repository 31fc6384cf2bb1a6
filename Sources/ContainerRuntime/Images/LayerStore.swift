import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Unpacked layers, one directory per diff ID, shared by every image and container using them.
/// A layer is unpacked once, into a temporary directory renamed into place when complete.
actor LayerStore {
    let root: String
    private var inFlight: [String: Task<String, Error>] = [:]

    init(root: String) throws {
        self.root = root
        try Files.mkdir(root)
    }

    nonisolated func path(_ diffID: String) -> String {
        root + "/" + diffID.replacingOccurrences(of: "sha256:", with: "")
    }

    nonisolated func has(_ diffID: String) -> Bool { Files.exists(path(diffID)) }

    /// Unpacks the blob at `blobPath` (tar, optionally gzip or zstd) as layer `diffID`, unless
    /// present. The uncompressed stream must hash to `diffID` (the image config's
    /// `rootfs.diff_ids` entry); if it does not, nothing is kept and the layer stays absent.
    func unpack(blobPath: String, diffID: String, layer: String) async throws -> String {
        let target = path(diffID)
        if Files.exists(target) { return target }
        if let running = inFlight[diffID] { return try await running.value }
        let task = Task<String, Error> {
            let staging = target + ".unpacking-\(UInt32.random(in: 0...UInt32.max))"
            try Files.mkdir(staging)
            do {
                let computed = try await LayerExtractor.extract(blob: blobPath, into: staging)
                if let mismatch = DiffIDMismatch(layer: layer, expected: diffID, computed: computed) { throw mismatch.error }
                try LayerStore.convertWhiteouts(in: staging)
                guard rename(staging, target) == 0 else { throw RuntimeError.io("rename layer: \(String(cString: strerror(errno)))") }
            } catch {
                try? FileManager.default.removeItem(atPath: staging)
                throw error
            }
            return target
        }
        inFlight[diffID] = task
        defer { inFlight[diffID] = nil }
        return try await task.value
    }

    nonisolated func remove(_ diffID: String) {
        Files.remove(path(diffID))
    }

    /// Turns OCI whiteout files into overlayfs whiteouts (0/0 char devices, opaque xattrs).
    static func convertWhiteouts(in directory: String) throws {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        var actions: [(String, Whiteout)] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            let whiteout = Whiteout(fileName: name)
            if whiteout != .none { actions.append((directory + "/" + relative, whiteout)) }
        }
        for (path, whiteout) in actions {
            let parent = (path as NSString).deletingLastPathComponent
            guard unlink(path) == 0 else { throw RuntimeError.io("unlink \(path): \(String(cString: strerror(errno)))") }
            switch whiteout {
            case .opaque:
                guard LinuxCalls.setxattr(parent, "trusted.overlay.opaque", "y") == 0 else {
                    throw RuntimeError.io("opaque xattr on \(parent): \(String(cString: strerror(errno)))")
                }
            case .remove(let name):
                guard mknod(parent + "/" + name, S_IFCHR | 0o000, 0) == 0 else {
                    throw RuntimeError.io("whiteout \(parent)/\(name): \(String(cString: strerror(errno)))")
                }
            case .none:
                break
            }
        }
    }
}
