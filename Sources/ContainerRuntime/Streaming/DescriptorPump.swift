import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a blocking descriptor to its end on a thread of its own.
enum DescriptorPump {
    /// Calls `chunk` with each read until EOF or an error (a pseudoterminal reports EIO once
    /// its other end is closed), then `done`. `chunk` returning false stops reading early.
    static func start(_ fd: Int32, messages: Bool = false, chunk: @escaping @Sendable ([UInt8]) -> Bool,
                      done: @escaping @Sendable () -> Void) {
        Thread {
            var buffer = [UInt8](repeating: 0, count: 32 * 1024)
            while true {
                let n = messages ? recv(fd, &buffer, buffer.count, 0) : read(fd, &buffer, buffer.count)
                if n > 0 {
                    if !chunk(Array(buffer[0..<n])) { break }
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            done()
        }.start()
    }
}
