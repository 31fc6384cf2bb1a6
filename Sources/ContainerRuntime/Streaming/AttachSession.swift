import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A streaming attach through the container monitor's attach socket: conmon sends the main
/// process's output there as messages prefixed with 2 (stdout) or 3 (stderr), and passes what
/// it receives to the process's stdin when the container was created with stdin.
final class AttachSession: StreamSession {
    struct Options: Sendable {
        var bundle: String
        var stdin: Bool
        var stdout: Bool
        var stderr: Bool
    }

    private let options: Result<Options, RuntimeError>
    private let streamProtocol: StreamProtocol
    private let logger: Logger
    private let socket = LockedValue<Int32?>(nil)
    private let stdinQueue = DispatchQueue(label: "skiff.attach.stdin")

    /// conmon's prefixes on the attach socket.
    static let monitorStdout: UInt8 = 2
    static let monitorStderr: UInt8 = 3

    init(options: Result<Options, RuntimeError>, streamProtocol: StreamProtocol, logger: Logger) {
        self.options = options
        self.streamProtocol = streamProtocol
        self.logger = logger
    }

    func start(_ writer: FrameWriter) {
        let options: Options
        let fd: Int32
        do {
            options = try self.options.get()
            fd = try AttachSession.connect(bundle: options.bundle)
        } catch {
            end(writer, .failed("error attaching to container: \(error)"))
            return
        }
        socket.set(fd)
        writer.send(ChannelFrame(stream: options.stdout ? ChannelFrame.stdout : options.stderr ? ChannelFrame.stderr : ChannelFrame.error))
        DescriptorPump.start(fd, messages: true, chunk: { message in
            guard let prefix = message.first else { return true }
            let payload = Array(message.dropFirst())
            switch prefix {
            case AttachSession.monitorStdout where options.stdout:
                return writer.sendBlocking(ChannelFrame(stream: ChannelFrame.stdout, payload: payload))
            case AttachSession.monitorStderr where options.stderr:
                return writer.sendBlocking(ChannelFrame(stream: ChannelFrame.stderr, payload: payload))
            default:
                return true
            }
        }, done: { [socket, stdinQueue] in
            // conmon closes the connection once the container has exited. The descriptor is
            // closed on the stdin queue, after any write already queued for it.
            if let fd = socket.withValue({ value in defer { value = nil }; return value }) { stdinQueue.async { close(fd) } }
            self.end(writer, .success)
        })
    }

    func receive(_ frame: ChannelFrame) {
        guard case .success(let options) = options, options.stdin, let fd = socket.get() else { return }
        switch frame.stream {
        case ChannelFrame.stdin:
            let bytes = frame.payload
            onSocket(fd) { _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        case ChannelFrame.close where streamProtocol.supportsClose && frame.payload.first == ChannelFrame.stdin:
            // conmon closes the container's stdin when a client stops writing (unless told to leave it open).
            onSocket(fd) { _ = shutdown(fd, Int32(SHUT_WR)) }
        default:
            break
        }
    }

    /// Runs `body` on the stdin queue if `fd` is still our open socket by then.
    private func onSocket(_ fd: Int32, _ body: @escaping @Sendable () -> Void) {
        stdinQueue.async { [socket] in if socket.get() == fd { body() } }
    }

    /// Detaching leaves the container running; only our connection to the monitor ends.
    func clientClosed() {
        if let fd = socket.get() { _ = shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Connects through /proc/self/fd, since bundle paths can exceed a socket address's 108 bytes.
    static func connect(bundle: String) throws -> Int32 {
        let directory = open(bundle, LinuxCalls.openPath | O_CLOEXEC)
        guard directory >= 0 else { throw RuntimeError.failedPrecondition("container bundle \(bundle) is gone") }
        defer { close(directory) }
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RuntimeError.io("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = "/proc/self/fd/\(directory)/attach"
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw RuntimeError.failedPrecondition("container monitor's attach socket: \(message)")
        }
        return fd
    }

    private func end(_ writer: FrameWriter, _ outcome: CommandOutcome) {
        if let payload = outcome.errorPayload(for: streamProtocol) {
            writer.send(ChannelFrame(stream: ChannelFrame.error, payload: payload))
        }
        writer.finish()
    }
}
