import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe record files: a record is written to `.<name>.tmp` beside its place, flushed,
/// renamed over the old one and its directory flushed, so after a `kill -9` (or a power cut)
/// a reader finds the old record or the new one, never half of one. A temporary file left by a
/// write that was cut short is recognisable by its name and removed on recovery.
enum DurableFile {
    static let temporarySuffix = ".tmp"

    static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(temporarySuffix) }

    static func write(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let temporary = "\(dir)/.\((path as NSString).lastPathComponent)\(temporarySuffix)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("create \(temporary)") }
        var ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        let error = failure("write \(temporary)")
        close(fd)
        guard ok else {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
        syncDirectory(dir)
    }

    /// Flushes a directory's entries (a rename or a new name in it).
    static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Removes the temporary files of writes cut short in `dir`.
    static func removeTemporaries(in dir: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where isTemporary(name) {
            unlink("\(dir)/\(name)")
        }
    }

    private static func failure(_ what: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(errno)))"])
    }
}
