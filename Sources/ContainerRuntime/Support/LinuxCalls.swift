#if canImport(Glibc)
import Glibc
#endif

/// glibc functions that Swift's Glibc module hides behind _GNU_SOURCE, resolved at run time.
enum LinuxCalls {
    /// glibc's value of POSIX_SPAWN_SETSID.
    static let spawnSetSID: Int32 = 0x80

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias SetXattr = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer, Int, Int32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("glibc lacks \(name)") }
        return unsafeBitCast(pointer, to: type)
    }

    nonisolated(unsafe) private static let pipe2Function = symbol("pipe2", as: Pipe2.self)
    nonisolated(unsafe) private static let closeFromFunction = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self)
    nonisolated(unsafe) private static let addChdirFunction = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
    nonisolated(unsafe) private static let setxattrFunction = symbol("setxattr", as: SetXattr.self)

    static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 { pipe2Function(fds, flags) }

    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
        closeFromFunction(actions, lowest)
    }

    static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ directory: String) -> Int32 {
        directory.withCString { addChdirFunction(actions, $0) }
    }

    static func setxattr(_ path: String, _ name: String, _ value: String) -> Int32 {
        value.withCString { bytes in setxattrFunction(path, name, bytes, value.utf8.count, 0) }
    }
}
