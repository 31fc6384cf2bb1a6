import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Connects to a loopback port inside a pod's network namespace. The socket is made on a
/// thread of its own that enters the namespace; a socket stays in the namespace it was made
/// in, so it is then usable from anywhere.
enum NetnsDialer {
    static func connect(port: UInt16, netnsPath: String?) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try connectBlocking(port: port, netnsPath: netnsPath) }) }.start()
        }
    }

    private static func connectBlocking(port: UInt16, netnsPath: String?) throws -> Int32 {
        var original: Int32 = -1
        if let netnsPath {
            let target = open(netnsPath, O_RDONLY | O_CLOEXEC)
            guard target >= 0 else { throw RuntimeError.failedPrecondition("network namespace \(netnsPath): \(lastError())") }
            defer { close(target) }
            original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
            guard original >= 0, LinuxCalls.setns(target, LinuxCalls.cloneNewNet) == 0 else {
                if original >= 0 { close(original) }
                throw RuntimeError.io("enter network namespace \(netnsPath): \(lastError())")
            }
        }
        defer {
            if original >= 0 {
                _ = LinuxCalls.setns(original, LinuxCalls.cloneNewNet)
                close(original)
            }
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RuntimeError.io("socket: \(lastError())") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let message = lastError()
            close(fd)
            throw RuntimeError.unavailable("dial tcp4 127.0.0.1:\(port): connect: \(message)")
        }
        return fd
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
