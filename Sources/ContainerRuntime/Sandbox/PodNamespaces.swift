import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Pod-level network and IPC namespaces kept alive by bind mounts onto files, so no pause
/// process is needed: containers join them by path. A shared PID namespace (pid POD) cannot
/// outlive its init, so it gets a holder: a `sleep` as its PID 1 that ignores SIGCHLD, which
/// makes the kernel reap the orphans it adopts (the pause container's job in containerd).
struct PodNamespaces: Sendable {
    let directory: String

    init(directory: String) throws {
        self.directory = directory
        try Files.mkdir(directory)
        if !Mounts.isMountPoint(directory) { try Mounts.makePrivate(directory) }
    }

    func paths(_ id: String) -> (net: String, ipc: String, pid: String) {
        ("\(directory)/\(id)-net", "\(directory)/\(id)-ipc", "\(directory)/\(id)-pid")
    }

    /// Creates the requested namespaces and returns their paths (nil for a namespace not created).
    func create(_ id: String, network: Bool, ipc: Bool) async throws -> (net: String?, ipc: String?) {
        guard network || ipc else { return (nil, nil) }
        let (net, ipcPath, _) = paths(id)
        var arguments: [String] = []
        if network { _ = FileManager.default.createFile(atPath: net, contents: nil); arguments.append("--net=\(net)") }
        if ipc { _ = FileManager.default.createFile(atPath: ipcPath, contents: nil); arguments.append("--ipc=\(ipcPath)") }
        do {
            try await Command("/usr/bin/unshare", arguments + ["/bin/true"]).check()
        } catch {
            remove(id)
            throw error
        }
        return (network ? net : nil, ipc ? ipcPath : nil)
    }

    /// Starts the pod's PID namespace holder; returns the namespace file and the holder's pid.
    /// The launching shell exits at once: `unshare` (which waits for the holder) is left to
    /// init, so no thread of ours waits for the pod's lifetime.
    func createPID(_ id: String) async throws -> (path: String, holder: Int32) {
        let path = paths(id).pid
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let launch = "/usr/bin/unshare --pid='\(path)' --fork /usr/bin/env --ignore-signal=CHLD /bin/sleep infinity </dev/null >/dev/null 2>&1 & echo $!"
        do {
            let output = try await Command("/bin/sh", ["-c", launch]).check()
            guard let launcher = Int32(String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw RuntimeError.command("PID namespace holder for \(id): no pid")
            }
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline {
                if let holder = PodNamespaces.children(of: launcher).first(where: { PodNamespaces.isHolder($0, of: path) }) {
                    return (path, holder)
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            kill(launcher, SIGKILL)
            throw RuntimeError.command("PID namespace holder for \(id) did not start")
        } catch {
            Mounts.unmount(path)
            unlink(path)
            throw error
        }
    }

    /// Kills the holder (ending the namespace and anything left in it) if it is still ours.
    func removePID(_ id: String, holder: Int32?) {
        let path = paths(id).pid
        if let holder, PodNamespaces.isHolder(holder, of: path) { kill(holder, SIGKILL) }
        if Files.exists(path) {
            Mounts.unmount(path)
            unlink(path)
        }
    }

    func remove(_ id: String) {
        let (net, ipc, _) = paths(id)
        for path in [net, ipc] where Files.exists(path) {
            Mounts.unmount(path)
            unlink(path)
        }
    }

    static func children(of pid: Int32) -> [Int32] {
        // procfs reports size 0: read to the end rather than by size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/task/\(pid)/children") else { return [] }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return [] }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
    }

    /// Whether `pid` lives in the namespace bound at `path` (so a reused pid is never killed).
    static func isHolder(_ pid: Int32, of path: String) -> Bool {
        var bound = stat(), own = stat()
        guard stat(path, &bound) == 0, stat("/proc/\(pid)/ns/pid", &own) == 0 else { return false }
        return bound.st_ino == own.st_ino && bound.st_dev == own.st_dev
    }
}
