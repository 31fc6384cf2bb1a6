import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `runc exec` for a streaming exec. Its stdio are pipes, or one pseudoterminal when a tty
/// is asked for: runc then relays between that terminal and one of its own inside the
/// container, and copies our terminal's size into it on SIGWINCH.
final class ExecProcess: Sendable {
    let pid: pid_t
    /// Our end of the command's stdin; nil when stdin was not requested.
    let stdin: Int32?
    /// Our ends of the command's output, by the stream they belong on.
    let outputs: [Output]
    /// The pseudoterminal's controller (also the only output) with a tty.
    let terminal: Int32?
    let pidFile: String
    let logFile: String
    private let stdinQueue = DispatchQueue(label: "skiff.exec.stdin")
    private let stdinOpen: LockedValue<Bool>

    struct Output: Sendable {
        var stream: UInt8
        var fd: Int32
    }

    struct Options: Sendable {
        var runtime: OCIRuntime
        var containerID: String
        var command: [String]
        var tty: Bool
        var stdin: Bool
        var stdout: Bool
        var stderr: Bool
        var pidFile: String

        /// runc's own messages, beside the pid file.
        var logFile: String { pidFile + ".log" }
    }

    private init(pid: pid_t, stdin: Int32?, outputs: [Output], terminal: Int32?, pidFile: String, logFile: String) {
        self.pid = pid
        self.stdin = stdin
        self.outputs = outputs
        self.terminal = terminal
        self.pidFile = pidFile
        self.logFile = logFile
        self.stdinOpen = LockedValue(stdin != nil)
    }

    static func launch(_ options: Options, size: TerminalSize? = nil) throws -> ExecProcess {
        var arguments = ["--root", options.runtime.root, "--log", options.logFile, "--log-format", "json",
                         "exec", "--pid-file", options.pidFile]
        if options.tty { arguments += ["--tty", "--env", "TERM=xterm"] }
        arguments += [options.containerID] + options.command
        if options.tty {
            guard let (controller, path) = LinuxCalls.openPseudoterminal() else {
                throw RuntimeError.io("pseudoterminal: \(String(cString: strerror(errno)))")
            }
            if let size { ExecProcess.setSize(controller, size) }
            let replica = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard replica >= 0 else {
                close(controller)
                throw RuntimeError.io("open \(path): \(String(cString: strerror(errno)))")
            }
            defer { close(replica) }
            do {
                let pid = try Command.spawn(path: options.runtime.path, arguments: arguments, environment: [:], fds: [replica, replica, replica])
                let input = options.stdin ? dup(controller) : nil
                if let input { _ = fcntl(input, F_SETFD, FD_CLOEXEC) }
                return ExecProcess(pid: pid, stdin: input, outputs: [Output(stream: ChannelFrame.stdout, fd: controller)],
                                   terminal: controller, pidFile: options.pidFile, logFile: options.logFile)
            } catch {
                close(controller)
                throw error
            }
        }
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let input = options.stdin ? try Pipe2() : nil
        let output = options.stdout ? try Pipe2() : nil
        let errors = options.stderr ? try Pipe2() : nil
        let pid: pid_t
        do {
            pid = try Command.spawn(path: options.runtime.path, arguments: arguments, environment: [:],
                                    fds: [input?.read ?? null, output?.write ?? null, errors?.write ?? null])
        } catch {
            for pipe in [input, output, errors].compactMap({ $0 }) { pipe.closeRead(); pipe.closeWrite() }
            throw error
        }
        input?.closeRead(); output?.closeWrite(); errors?.closeWrite()
        var outputs: [Output] = []
        if let output { outputs.append(Output(stream: ChannelFrame.stdout, fd: output.read)) }
        if let errors { outputs.append(Output(stream: ChannelFrame.stderr, fd: errors.read)) }
        return ExecProcess(pid: pid, stdin: input?.write, outputs: outputs, terminal: nil, pidFile: options.pidFile, logFile: options.logFile)
    }

    /// Queues bytes for the command's stdin; writes happen in order, off the caller's thread.
    func write(_ bytes: [UInt8]) {
        guard let stdin else { return }
        stdinQueue.async { [stdinOpen] in
            guard stdinOpen.get() else { return }
            _ = bytes.withUnsafeBytes { Command.writeAll(stdin, $0) }
        }
    }

    /// Ends stdin once everything queued before has been written.
    func closeStdin() {
        guard let stdin else { return }
        stdinQueue.async { [stdinOpen] in
            if stdinOpen.withValue({ open in defer { open = false }; return open }) { close(stdin) }
        }
    }

    func resize(_ size: TerminalSize) {
        guard let terminal else { return }
        ExecProcess.setSize(terminal, size)
        // runc is no terminal's session leader, so the kernel does not tell it.
        _ = Glibc.kill(pid, SIGWINCH)
    }

    /// Waits for runc, whose exit status is the command's unless runc itself failed.
    func wait() async -> CommandOutcome.Exit {
        let (status, signaled) = await withCheckedContinuation { continuation in
            Thread { [pid] in continuation.resume(returning: Command.wait(pid)) }.start()
        }
        if status == 255, let failure = Files.read(logFile).flatMap(RuncLog.lastError) { return .runtimeFailed(failure) }
        return status == 0 && !signaled ? .success : .code(status)
    }

    /// Kills the command itself: killing runc would leave it running in the container.
    func kill() {
        if let data = Files.read(pidFile),
           let target = Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), target > 0 {
            _ = Glibc.kill(target, SIGKILL)
        }
    }

    /// Ends stdin and removes runc's files; each output descriptor is closed by its reader.
    func release() {
        closeStdin()
        stdinQueue.sync {}
        Files.remove(pidFile)
        Files.remove(logFile)
    }

    static func setSize(_ fd: Int32, _ size: TerminalSize) {
        var window = winsize(ws_row: size.height, ws_col: size.width, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(fd, UInt(TIOCSWINSZ), &window)
    }
}
