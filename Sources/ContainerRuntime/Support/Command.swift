import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process with posix_spawn: only the file descriptors given here are inherited,
/// which matters for long-lived children such as container monitors. Blocking waits happen on
/// dispatch threads, never on the cooperative pool.
struct Command: Sendable {
    struct Result: Sendable {
        var status: Int32
        var signaled: Bool
        var stdout: Data
        var stderr: Data

        var succeeded: Bool { status == 0 && !signaled }
        var errorText: String {
            String(decoding: stderr.isEmpty ? stdout : stderr, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    var path: String
    var arguments: [String]
    var environment: [String: String] = [:]
    var stdin: Data? = nil
    var timeout: Duration? = nil

    init(_ path: String, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil, timeout: Duration? = nil) {
        self.path = path
        self.arguments = arguments
        self.environment = environment
        self.stdin = stdin
        self.timeout = timeout
    }

    /// Runs to completion, capturing stdout and stderr.
    func run() async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try self.runBlocking() })
            }
        }
    }

    /// Runs and throws `RuntimeError.command` unless the process exited 0.
    @discardableResult
    func check() async throws -> Result {
        let result = try await run()
        guard result.succeeded else {
            throw RuntimeError.command("\((path as NSString).lastPathComponent) \(arguments.first ?? ""): \(result.errorText)")
        }
        return result
    }

    private func runBlocking() throws -> Result {
        let input = try Pipe2(), output = try Pipe2(), errors = try Pipe2()
        let pid = try Command.spawn(path: path, arguments: arguments, environment: environment,
                                    fds: [input.read, output.write, errors.write])
        input.closeRead(); output.closeWrite(); errors.closeWrite()
        let writer = DispatchQueue.global()
        let data = stdin ?? Data()
        let writeFD = input.write
        writer.async {
            data.withUnsafeBytes { buffer in _ = Command.writeAll(writeFD, buffer) }
            close(writeFD)
        }
        let deadline = timeout.map { DispatchTime.now() + .nanoseconds(Int($0.components.seconds) * 1_000_000_000 + Int($0.components.attoseconds / 1_000_000_000)) }
        if let deadline {
            DispatchQueue.global().asyncAfter(deadline: deadline) { _ = kill(pid, SIGKILL) }
        }
        let group = DispatchGroup()
        let err = LockedValue(Data())
        let errFD = errors.read
        group.enter()
        DispatchQueue.global().async { err.set(Command.readAll(errFD)); group.leave() }
        let out = Command.readAll(output.read)
        group.wait()
        close(output.read); close(errors.read)
        let (status, signaled) = Command.wait(pid)
        return Result(status: status, signaled: signaled, stdout: out, stderr: err.get())
    }

    /// Spawns `path` with `fds[i]` as its descriptor `i` and every other descriptor closed, in
    /// `directory` when given.
    static func spawn(path: String, arguments: [String], environment: [String: String], fds: [Int32],
                      directory: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory { _ = LinuxCalls.addChdir(&actions, directory) }
        for (target, fd) in fds.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, Int32(target))
        }
        _ = LinuxCalls.addCloseFrom(&actions, Int32(fds.count))
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A fresh signal mask and default dispositions: the parent may block or ignore signals.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | LinuxCalls.spawnSetSID))

        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0)=\($1)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw RuntimeError.command("spawn \(path): \(String(cString: strerror(rc)))") }
        return pid
    }

    static func wait(_ pid: pid_t) -> (Int32, Bool) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, false) : (128 + signal, true)
    }

    static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { data.append(contentsOf: buffer[0..<n]) } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return data
    }

    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 { if errno == EINTR { continue }; return false }
            offset += n
        }
        return true
    }
}

/// A close-on-exec pipe whose ends are closed explicitly.
struct Pipe2 {
    let read: Int32
    let write: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard LinuxCalls.pipe2(&fds, O_CLOEXEC) == 0 else { throw RuntimeError.command("pipe: \(String(cString: strerror(errno)))") }
        read = fds[0]
        write = fds[1]
    }

    func closeRead() { close(read) }
    func closeWrite() { close(write) }
}
