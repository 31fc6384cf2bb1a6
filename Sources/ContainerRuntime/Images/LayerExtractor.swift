import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Unpacks one layer blob with `tar`, hashing the uncompressed stream on its way from the
/// decompressor to `tar`, so the layer's diff ID is computed from exactly the bytes unpacked.
enum LayerExtractor {
    enum Compression: Equatable {
        case none, gzip, zstd

        /// By magic number, as containerd's decompressor does; anything else is taken as plain tar.
        init(magic: [UInt8]) {
            if magic.starts(with: [0x1f, 0x8b]) { self = .gzip }
            else if magic.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { self = .zstd }
            else { self = .none }
        }

        var decompressor: (String, [String])? {
            switch self {
            case .none: nil
            case .gzip: ("/usr/bin/gzip", ["-d", "-c"])
            case .zstd: ("/usr/bin/zstd", ["-d", "-c", "-q"])
            }
        }
    }

    /// Extracts `blob` into `directory` and returns the sha256 diff ID of the uncompressed tar.
    static func extract(blob: String, into directory: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try extractBlocking(blob: blob, into: directory) })
            }
        }
    }

    private static func extractBlocking(blob: String, into directory: String) throws -> String {
        // A tar that stops reading at its end-of-archive marker must not take the runtime down.
        signal(SIGPIPE, SIG_IGN)
        let input = open(blob, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw RuntimeError.io("open layer blob \(blob): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        var magic = [UInt8](repeating: 0, count: 4)
        let got = pread(input, &magic, magic.count, 0)
        let compression = Compression(magic: Array(magic.prefix(max(0, got))))

        var source = input
        var decompressor: (pid: pid_t, errors: Int32, name: String)?
        if let (path, arguments) = compression.decompressor {
            let output = try Pipe2(), errors = try Pipe2()
            let pid = try Command.spawn(path: path, arguments: arguments, environment: [:], fds: [input, output.write, errors.write])
            output.closeWrite(); errors.closeWrite()
            source = output.read
            decompressor = (pid, errors.read, (path as NSString).lastPathComponent)
        }
        defer { if source != input { close(source) } }

        let tarInput = try Pipe2(), tarErrors = try Pipe2()
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let tar = try Command.spawn(path: "/bin/tar", arguments: [
            "-x", "-f", "-", "-C", directory, "--numeric-owner", "--same-permissions", "--same-owner", "--xattrs",
        ], environment: [:], fds: [tarInput.read, null, tarErrors.write])
        tarInput.closeRead(); tarErrors.closeWrite()

        let tarMessages = drain(tarErrors.read)
        let decompressorMessages = decompressor.map { drain($0.errors) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var tarOpen = true
        while true {
            let n = read(source, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            buffer.withUnsafeBytes { bytes in
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<n])
                hasher.update(bufferPointer: chunk)
                // Past tar's end of archive (EPIPE) the rest is still hashed: it is part of the diff.
                if tarOpen, !Command.writeAll(tarInput.write, chunk) { tarOpen = false }
            }
        }
        tarInput.closeWrite()
        let (tarStatus, tarSignaled) = Command.wait(tar)
        if let decompressor {
            let (status, signaled) = Command.wait(decompressor.pid)
            if status != 0 || signaled {
                throw RuntimeError.io("\(decompressor.name) -d \(blob): \(decompressorMessages?.wait() ?? "exit \(status)")")
            }
        }
        guard tarStatus == 0, !tarSignaled else { throw RuntimeError.command("tar -x \(blob): \(tarMessages.wait())") }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Reads a child's stderr on another thread (so a chatty child never blocks on a full pipe).
    private static func drain(_ fd: Int32) -> Drained {
        let drained = Drained()
        drained.group.enter()
        DispatchQueue.global().async {
            drained.text.set(String(decoding: Command.readAll(fd), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            close(fd)
            drained.group.leave()
        }
        return drained
    }

    private final class Drained: Sendable {
        let group = DispatchGroup()
        let text = LockedValue("")

        func wait() -> String {
            group.wait()
            return text.get()
        }
    }
}
