import Foundation
import Logging

/// A streaming exec: runs the command when the WebSocket opens, relays stdio over the channel
/// streams, and reports the exit on the error stream before closing.
final class ExecSession: StreamSession {
    private let options: Result<ExecProcess.Options, RuntimeError>
    private let streamProtocol: StreamProtocol
    private let logger: Logger
    private let state = LockedValue(State())

    private struct State {
        var process: ExecProcess?
        var exited = false
    }

    /// How long output may still arrive once the command has exited (a background child can
    /// hold the pipes open indefinitely).
    static let drainTimeout: DispatchTimeInterval = .seconds(2)

    init(options: Result<ExecProcess.Options, RuntimeError>, streamProtocol: StreamProtocol, logger: Logger) {
        self.options = options
        self.streamProtocol = streamProtocol
        self.logger = logger
    }

    func start(_ writer: FrameWriter) {
        let process: ExecProcess
        let options: ExecProcess.Options
        do {
            options = try self.options.get()
            process = try ExecProcess.launch(options)
        } catch {
            logger.warning("exec failed to start", metadata: ["error": "\(error)"])
            end(writer, .failed("error executing command in container: \(error)"))
            return
        }
        state.withValue { $0.process = process }
        // The kubelet's server opens the lowest writable stream with an empty message.
        writer.send(ChannelFrame(stream: options.stdout ? ChannelFrame.stdout : options.stderr ? ChannelFrame.stderr : ChannelFrame.error))
        let drained = DispatchGroup()
        for output in process.outputs {
            drained.enter()
            DescriptorPump.start(output.fd, chunk: { writer.sendBlocking(ChannelFrame(stream: output.stream, payload: $0)) },
                                 done: { close(output.fd); drained.leave() })
        }
        Task {
            let exit = await process.wait()
            self.state.withValue { $0.exited = true }
            await withCheckedContinuation { continuation in
                Thread {
                    _ = drained.wait(timeout: .now() + ExecSession.drainTimeout)
                    continuation.resume()
                }.start()
            }
            process.release()
            switch exit {
            case .success: self.end(writer, .success)
            case .code(let code): self.end(writer, .exited(code: code, command: options.command))
            case .runtimeFailed(let message): self.end(writer, .failed("error executing command in container: OCI runtime exec failed: \(message)"))
            }
        }
    }

    func receive(_ frame: ChannelFrame) {
        guard let process = state.get().process else { return }
        switch frame.stream {
        case ChannelFrame.stdin:
            process.write(frame.payload)
        case ChannelFrame.resize:
            if let size = TerminalSize.decode(frame.payload).last { process.resize(size) }
        case ChannelFrame.close where streamProtocol.supportsClose:
            if frame.payload.first == ChannelFrame.stdin { process.closeStdin() }
        default:
            break
        }
    }

    /// The client is gone: the command is killed, as the kubelet's runtimes do when the
    /// request's context ends.
    func clientClosed() {
        let (process, exited) = state.withValue { ($0.process, $0.exited) }
        guard let process, !exited else { return }
        process.closeStdin()
        process.kill()
    }

    private func end(_ writer: FrameWriter, _ outcome: CommandOutcome) {
        if let payload = outcome.errorPayload(for: streamProtocol) {
            writer.send(ChannelFrame(stream: ChannelFrame.error, payload: payload))
        }
        writer.finish()
    }
}
