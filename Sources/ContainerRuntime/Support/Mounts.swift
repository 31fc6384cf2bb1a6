import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// mount(2) and umount(2), for overlay root filesystems and namespace bind mounts.
enum Mounts {
    static func overlay(lower: [String], upper: String, work: String, target: String) throws {
        let options = "lowerdir=\(lower.joined(separator: ":")),upperdir=\(upper),workdir=\(work)"
        guard mount("overlay", target, "overlay", 0, options) == 0 else {
            throw RuntimeError.io("mount overlay on \(target): \(String(cString: strerror(errno)))")
        }
    }

    static func unmount(_ target: String) {
        while umount2(target, Int32(MNT_DETACH)) == 0 {}
    }

    /// Makes `directory` a private mount point so bind mounts under it don't propagate.
    static func makePrivate(_ directory: String) throws {
        if mount("none", directory, nil, UInt(MS_PRIVATE), nil) == 0 { return }
        guard mount(directory, directory, nil, UInt(MS_BIND), nil) == 0,
              mount("none", directory, nil, UInt(MS_PRIVATE), nil) == 0 else {
            throw RuntimeError.io("make \(directory) a private mount: \(String(cString: strerror(errno)))")
        }
    }

    static func isMountPoint(_ path: String) -> Bool {
        // Read to the end: `String(contentsOfFile:)` stops after procfs's first 4 KiB.
        guard let h = FileHandle(forReadingAtPath: "/proc/self/mountinfo") else { return false }
        defer { try? h.close() }
        guard let data = try? h.readToEnd() else { return false }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").contains { $0.split(separator: " ").dropFirst(4).first.map(String.init) == path }
    }
}
