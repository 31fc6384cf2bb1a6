import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `conmon` per container, as CRI-O runs it: it creates the container through the OCI
/// runtime, writes its output to the CRI log, and records the exit code in `exitDirectory/ID`
/// whether or not the runtime is running.
struct ConmonMonitor: Sendable {
    let conmonPath: String
    let exitDirectory: String
    let socketDirectory: String
    let runtimeRoot: String

    init(conmonPath: String, stateDirectory: String) throws {
        self.conmonPath = conmonPath
        self.exitDirectory = stateDirectory + "/exits"
        self.socketDirectory = stateDirectory + "/conmon"
        self.runtimeRoot = stateDirectory + "/runc"
        for directory in [exitDirectory, socketDirectory, runtimeRoot] { try Files.mkdir(directory) }
    }

    func exitFile(_ id: String) -> String { exitDirectory + "/" + id }

    /// Reads the recorded exit code, if the container has exited.
    func exitStatus(_ id: String) -> (code: Int32, at: Date)? {
        let path = exitFile(id)
        guard let data = Files.read(path), let code = Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return (code, Files.modificationTime(path) ?? Date())
    }

    /// Creates the container (state `created`) under a new conmon; returns the container's pid.
    /// With `stdin`, conmon holds the container's stdin open and feeds it what attach clients
    /// send; `stdinOnce` closes it when the first client stops writing.
    func create(id: String, name: String, bundle: String, runtimePath: String, logPath: String,
                stdin: Bool = false, stdinOnce: Bool = false) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result {
                    try self.createBlocking(id: id, name: name, bundle: bundle, runtimePath: runtimePath, logPath: logPath,
                                            stdin: stdin, stdinOnce: stdinOnce)
                })
            }
        }
    }

    private func createBlocking(id: String, name: String, bundle: String, runtimePath: String, logPath: String,
                                stdin: Bool, stdinOnce: Bool) throws -> Int32 {
        let sync = try Pipe2()
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        var arguments = [
            "--api-version", "1", "-c", id, "-u", id, "-n", name, "-r", runtimePath,
            "--runtime-arg", "--root=\(runtimeRoot)",
            "-b", bundle, "-p", bundle + "/pidfile", "-P", bundle + "/conmon.pid",
            "-l", "k8s-file:\(logPath)", "--exit-dir", exitDirectory,
            "--socket-dir-path", socketDirectory, "--syslog=false", "--log-level", "error",
        ]
        if stdin { arguments += stdinOnce ? ["--stdin"] : ["--stdin", "--leave-stdin-open"] }
        let pid: pid_t
        do {
            // conmon drops its `oom` marker in its working directory: keep that in the bundle.
            pid = try Command.spawn(path: conmonPath, arguments: arguments, environment: ["_OCI_SYNCPIPE": "3"],
                                    fds: [null, null, null, sync.write], directory: bundle)
        } catch {
            sync.closeRead(); sync.closeWrite()
            throw error
        }
        sync.closeWrite()
        defer { sync.closeRead() }
        // conmon forks to outlive us; the process we started exits once the monitor is set up.
        _ = Command.wait(pid)
        let message = ConmonMonitor.readMessage(sync.read)
        guard let reply = ConmonSyncMessage(json: message) else {
            throw RuntimeError.command("conmon for \(id) gave no sync message: \(String(decoding: message, as: UTF8.self))")
        }
        guard reply.data > 0 else {
            throw RuntimeError.command("create container \(id): \(reply.message ?? "conmon reported \(reply.data)")")
        }
        return reply.data
    }

    /// Reads one JSON object from the sync pipe; conmon keeps its end open for its lifetime.
    static func readMessage(_ fd: Int32) -> Data {
        var data = Data()
        var byte: UInt8 = 0
        var depth = 0
        while read(fd, &byte, 1) == 1 {
            data.append(byte)
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth -= 1; if depth == 0 { break } }
        }
        return data
    }

    /// Asks conmon to reopen the log file (after the kubelet rotated it).
    func reopenLog(bundle: String) throws {
        let fd = open(bundle + "/ctl", O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw RuntimeError.failedPrecondition("container monitor is not running (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        let message = "2 0 0\n"
        guard message.withCString({ write(fd, $0, strlen($0)) }) > 0 else {
            throw RuntimeError.io("reopen log: \(String(cString: strerror(errno)))")
        }
    }
}

/// conmon's `{"data": PID}` or `{"data": -1, "message": "…"}`.
struct ConmonSyncMessage: Decodable, Equatable {
    var data: Int32
    var message: String?

    init?(json: Data) {
        guard let decoded = try? JSONDecoder().decode(ConmonSyncMessage.self, from: json) else { return nil }
        self = decoded
    }
}
