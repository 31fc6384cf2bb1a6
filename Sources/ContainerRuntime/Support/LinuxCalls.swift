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
    private typealias IntToInt = @convention(c) (Int32) -> Int32
    private typealias PtsName = @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32
    private typealias SetNS = @convention(c) (Int32, Int32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("glibc lacks \(name)") }
        return unsafeBitCast(pointer, to: type)
    }

    nonisolated(unsafe) private static let pipe2Function = symbol("pipe2", as: Pipe2.self)
    nonisolated(unsafe) private static let closeFromFunction = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self)
    nonisolated(unsafe) private static let addChdirFunction = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
    nonisolated(unsafe) private static let setxattrFunction = symbol("setxattr", as: SetXattr.self)
    nonisolated(unsafe) private static let openptFunction = symbol("posix_openpt", as: IntToInt.self)
    nonisolated(unsafe) private static let grantptFunction = symbol("grantpt", as: IntToInt.self)
    nonisolated(unsafe) private static let unlockptFunction = symbol("unlockpt", as: IntToInt.self)
    nonisolated(unsafe) private static let ptsnameFunction = symbol("ptsname_r", as: PtsName.self)
    nonisolated(unsafe) private static let setnsFunction = symbol("setns", as: SetNS.self)

    /// O_PATH: a descriptor that only names a file (here, a directory too long for a socket path).
    static let openPath: Int32 = 0o10000000
    /// glibc's CLONE_NEWNET, for `setns`.
    static let cloneNewNet: Int32 = 0x4000_0000

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

    /// A new pseudoterminal: its controller's descriptor and the path of its terminal end.
    static func openPseudoterminal() -> (Int32, String)? {
        let fd = openptFunction(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var name = [CChar](repeating: 0, count: 128)
        guard grantptFunction(fd) == 0, unlockptFunction(fd) == 0, ptsnameFunction(fd, &name, name.count) == 0 else {
            close(fd)
            return nil
        }
        return (fd, name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    static func setns(_ fd: Int32, _ type: Int32) -> Int32 { setnsFunction(fd, type) }
}
