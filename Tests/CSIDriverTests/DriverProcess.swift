import CSI
import CSIDriver
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `skiff csi-hostpath` as its own process on a scratch directory: its CSI socket, its state
/// and a kubelet plugin registry it registers in. `kill9()` is SIGKILL by its PID (no cleanup
/// of any kind); `start` again takes over the same state, as a restarted driver pod would.
final class DriverProcess: @unchecked Sendable {
    /// The skiff executable: $SKIFF_BINARY, or the package's debug build.
    static var binary: String? {
        if let b = ProcessInfo.processInfo.environment["SKIFF_BINARY"], !b.isEmpty { return b }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let built = root.path + "/.build/debug/skiff"
        return FileManager.default.isExecutableFile(atPath: built) ? built : nil
    }

    let dir: String
    private(set) var process: Process?
    private(set) var connection: CSIConnection!

    init() throws {
        var template = Array("/tmp/skiff-csi-proc.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        dir = String(cString: made)
    }

    var stateDirectory: String { dir + "/state" }
    var endpoint: String { "unix://\(dir)/csi.sock" }
    var registrationSocket: String { "\(dir)/kubelet/plugins_registry/\(HostPathConfiguration.defaultDriverName)-reg.sock" }

    /// Starts the driver (holding `pausing` calls half-done) and waits until it answers Probe;
    /// one still running is killed first (one driver per socket and state).
    func start(pausing: [HostPathPause] = []) async throws {
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        kill9()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["csi-hostpath", "--endpoint", endpoint, "--node-id", DriverFixture.nodeID, "--state-dir", stateDirectory,
                       "--kubelet-root-dir", dir + "/kubelet", "--log-level", "debug",
                       "--test-pause-in", pausing.map(\.rawValue).joined(separator: ","), "--test-pause-seconds", "120"]
        let log = dir + "/driver.log"
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        process = p
        connection?.close()
        connection = try CSIConnection(endpoint: endpoint, timeout: .seconds(150))
        try await DriverFixture.probe(connection, for: .seconds(20)) { p.isRunning }
    }

    /// SIGKILL, then reap it.
    func kill9() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    /// Waits until `condition` holds (the paused call got to its pause).
    func wait(for what: String, timeout: Duration = .seconds(20), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "timed out waiting for \(what)"]) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func close() {
        connection?.close()
        kill9()
        for m in MountTable.mountPoints().filter({ $0.hasPrefix(dir + "/") }).sorted(by: >) { try? MountTable.unmount(m) }
        try? FileManager.default.removeItem(atPath: dir)
    }

    var controller: Csi_V1_Controller.Client<CSIConnection.Transport> { connection.controller }
    var node: Csi_V1_Node.Client<CSIConnection.Transport> { connection.node }

    /// Entries of a state directory, leaving out nothing (temporaries included).
    func entries(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(stateDirectory)/\(sub)")) ?? []).sorted()
    }
}

/// Runs `body` against a driver process and always cleans up after it.
func withDriverProcess(_ body: (DriverProcess) async throws -> Void) async throws {
    let d = try DriverProcess()
    do { try await body(d) } catch {
        d.close()
        throw error
    }
    d.close()
}
