import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small filesystem helpers; writes that must survive a crash go through a rename.
enum Files {
    static func mkdir(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw RuntimeError.io("rename \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func read(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func modificationTime(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// Bytes used by a tree, counted by allocated blocks (like `du`), and its inode count.
    static func usage(_ path: String) -> (bytes: UInt64, inodes: UInt64) {
        var bytes: UInt64 = 0, inodes: UInt64 = 0
        guard let walker = FileManager.default.enumerator(atPath: path) else { return (0, 0) }
        while let name = walker.nextObject() as? String {
            var info = stat()
            if lstat(path + "/" + name, &info) == 0 {
                bytes += UInt64(info.st_blocks) * 512
                inodes += 1
            }
        }
        return (bytes, inodes)
    }
}
