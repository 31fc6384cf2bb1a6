import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Port forwarding over one WebSocket, as the kubelet's streaming library frames it: for the
/// i-th port, stream 2i carries data both ways and stream 2i+1 error text from the server;
/// each stream opens with the port, 2 bytes little-endian. A port's forward ends when the
/// pod's side closes; the WebSocket closes when every port's has.
final class PortForwardSession: StreamSession {
    struct Target: Sendable {
        var sandboxID: String
        /// nil when the pod uses the node's network.
        var netnsPath: String?
    }

    private enum Link {
        case connecting(pending: [[UInt8]])
        case connected(Int32)
        case closed
    }

    private let target: Result<Target, RuntimeError>
    private let ports: [Int32]
    private let logger: Logger
    private let links: LockedValue<[Link]>
    private let writes = DispatchQueue(label: "skiff.portforward.write")

    init(target: Result<Target, RuntimeError>, ports: [Int32], logger: Logger) {
        self.target = target
        self.ports = ports
        self.logger = logger
        self.links = LockedValue(Array(repeating: .connecting(pending: []), count: ports.count))
    }

    func start(_ writer: FrameWriter) {
        guard !ports.isEmpty else { writer.finish(); return }
        for (index, port) in ports.enumerated() {
            let prefix = ChannelFrame.portPrefix(UInt16(truncatingIfNeeded: port))
            writer.send(ChannelFrame(stream: UInt8(2 * index), payload: prefix))
            writer.send(ChannelFrame(stream: UInt8(2 * index + 1), payload: prefix))
        }
        for (index, port) in ports.enumerated() {
            Task { await self.forward(index, port: port, writer) }
        }
    }

    private func forward(_ index: Int, port: Int32, _ writer: FrameWriter) async {
        let dataStream = UInt8(2 * index), errorStream = UInt8(2 * index + 1)
        let fd: Int32
        do {
            let target = try self.target.get()
            fd = try await NetnsDialer.connect(port: UInt16(truncatingIfNeeded: port), netnsPath: target.netnsPath)
        } catch {
            let sandbox = (try? self.target.get().sandboxID) ?? ""
            writer.send(ChannelFrame(stream: errorStream, payload: Array("error forwarding port \(port) to pod \(sandbox), uid : \(error)".utf8)))
            finish(index, writer)
            return
        }
        let pending: [[UInt8]] = links.withValue { links in
            guard case .connecting(let pending) = links[index] else { return [] }
            links[index] = .connected(fd)
            return pending
        }
        for bytes in pending { send(bytes, to: fd, index) }
        DescriptorPump.start(fd, chunk: { writer.sendBlocking(ChannelFrame(stream: dataStream, payload: $0)) },
                             done: { self.finish(index, writer) })
    }

    func receive(_ frame: ChannelFrame) {
        guard frame.stream % 2 == 0, Int(frame.stream / 2) < ports.count, !frame.payload.isEmpty else { return }
        let index = Int(frame.stream / 2)
        let fd: Int32? = links.withValue { links in
            switch links[index] {
            case .connecting(var pending):
                pending.append(frame.payload)
                links[index] = .connecting(pending: pending)
                return nil
            case .connected(let fd): return fd
            case .closed: return nil
            }
        }
        if let fd { send(frame.payload, to: fd, index) }
    }

    func clientClosed() {
        let open: [Int32] = links.withValue { links in
            links.compactMap { if case .connected(let fd) = $0 { fd } else { nil } }
        }
        for fd in open { _ = shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Writes in order on the write queue, where the socket is also closed: a write queued after
    /// the port's forward ended is dropped rather than sent to a reused descriptor.
    private func send(_ bytes: [UInt8], to fd: Int32, _ index: Int) {
        writes.async { [links] in
            guard case .connected(let open) = links.get()[index], open == fd else { return }
            _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    private func finish(_ index: Int, _ writer: FrameWriter) {
        let (closing, allClosed): (Int32?, Bool) = links.withValue { links in
            var fd: Int32?
            if case .connected(let open) = links[index] { fd = open }
            links[index] = .closed
            return (fd, links.allSatisfy { if case .closed = $0 { true } else { false } })
        }
        if let closing { writes.async { close(closing) } }
        if allClosed { writer.finish() }
    }
}
