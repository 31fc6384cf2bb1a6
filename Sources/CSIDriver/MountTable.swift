import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The mounts of this process's mount namespace (/proc/self/mountinfo), and bind mounts made
/// with mount(2) directly: no mount(8) process per call.
public enum MountTable {
    /// The whole of a /proc file. Foundation's `String(contentsOfFile:)` trusts the size procfs
    /// reports and stops after the first page (4 KiB), losing later mounts.
    public static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Mount points, unescaped (mountinfo writes a space as \040).
    public static func mountPoints() -> Set<String> {
        guard let text = readProcFile("/proc/self/mountinfo") else { return [] }
        var out = Set<String>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 4 else { continue }
            out.insert(unescape(String(fields[4])))
        }
        return out
    }

    public static func isMountPoint(_ path: String) -> Bool { mountPoints().contains(normalized(path)) }

    /// Bind-mounts `source` on `target`; read-only needs a second, remounting call.
    public static func bind(_ source: String, _ target: String, readOnly: Bool) throws(MountError) {
        guard mount(source, target, nil, UInt(MS_BIND), nil) == 0 else {
            throw MountError("bind mount \(source) on \(target): \(String(cString: strerror(errno)))")
        }
        if readOnly {
            guard mount("none", target, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY), nil) == 0 else {
                let message = String(cString: strerror(errno))
                umount2(target, Int32(MNT_DETACH))
                throw MountError("remount \(target) read-only: \(message)")
            }
        }
    }

    /// Unmounts every layer mounted on `target` (a repeated publish would stack them).
    public static func unmount(_ target: String) throws(MountError) {
        let path = normalized(target)
        while mountPoints().contains(path) {
            guard umount2(path, 0) == 0 else {
                let err = errno
                if err == EINVAL { return }
                if err == EBUSY, umount2(path, Int32(MNT_DETACH)) == 0 { continue }
                throw MountError("unmount \(path): \(String(cString: strerror(err)))")
            }
        }
    }

    /// Whether the mount on `path` is read-only (its per-mount options in mountinfo).
    public static func isReadOnly(_ path: String) -> Bool {
        guard let text = readProcFile("/proc/self/mountinfo") else { return false }
        let want = normalized(path)
        var readOnly = false
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 5, unescape(String(fields[4])) == want else { continue }
            readOnly = fields[5].split(separator: ",").contains("ro")
        }
        return readOnly
    }

    static func normalized(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var chars = Array(s)[...]
        while let c = chars.popFirst() {
            if c == "\\", chars.count >= 3, let code = UInt8(String(chars.prefix(3)), radix: 8) {
                out.append(Character(UnicodeScalar(code)))
                chars = chars.dropFirst(3)
            } else {
                out.append(c)
            }
        }
        return out
    }
}

public struct MountError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
