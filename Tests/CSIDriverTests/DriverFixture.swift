import CSI
import CSIDriver
import Foundation
import GRPCCore
import Logging

/// A real host-path driver serving on a real unix socket in a scratch directory, and a client
/// connected to it. `restart()` drops the driver without any cleanup, as `kill -9` would, and
/// starts a fresh one on the same state directory.
final class DriverFixture: @unchecked Sendable {
    let dir: String
    let configuration: HostPathConfiguration
    private(set) var server: Task<Void, any Error>?
    private(set) var connection: CSIConnection!

    static let nodeID = "node-a"

    init() async throws {
        var template = Array("/tmp/skiff-csi-test.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        dir = String(cString: made)
        var c = HostPathConfiguration(nodeID: Self.nodeID, stateDirectory: dir + "/state", endpoint: "unix://\(dir)/csi.sock")
        c.registrationDirectory = dir + "/plugins_registry"
        configuration = c
        try await start()
    }

    func start() async throws {
        let server = try HostPathServer(configuration: configuration, logger: Logger(label: "test"))
        self.server = Task { try await server.run() }
        connection = try CSIConnection(endpoint: configuration.endpoint, timeout: .seconds(10))
        try await Self.probe(connection, for: .seconds(10))
    }

    /// Waits until the driver behind `connection` answers Probe (while `alive` says it runs).
    static func probe(_ connection: CSIConnection, for timeout: Duration, alive: () -> Bool = { true }) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                _ = try await connection.identity.probe(.init())
                return
            } catch {
                if ContinuousClock.now > deadline || !alive() { throw error }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// The driver disappears mid-flight (no unmounts, no record cleanup); a new one takes over.
    func restart() async throws {
        connection.close()
        server?.cancel()
        _ = await server?.result
        try await start()
    }

    func close() async {
        connection.close()
        server?.cancel()
        _ = await server?.result
        // Whatever a failed test left mounted under the scratch directory.
        for m in MountTable.mountPoints().filter({ $0.hasPrefix(dir + "/") }).sorted(by: >) { try? MountTable.unmount(m) }
        try? FileManager.default.removeItem(atPath: dir)
    }

    var controller: Csi_V1_Controller.Client<CSIConnection.Transport> { connection.controller }
    var node: Csi_V1_Node.Client<CSIConnection.Transport> { connection.node }
    var identity: Csi_V1_Identity.Client<CSIConnection.Transport> { connection.identity }

    static func capability(_ mode: Csi_V1_VolumeCapability.AccessMode.Mode = .singleNodeWriter) -> Csi_V1_VolumeCapability {
        .with {
            $0.mount = .init()
            $0.accessMode = .with { $0.mode = mode }
        }
    }

    func create(_ name: String, bytes: Int64 = 1 << 20, mode: Csi_V1_VolumeCapability.AccessMode.Mode = .singleNodeWriter) async throws -> Csi_V1_Volume {
        try await controller.createVolume(.with {
            $0.name = name
            $0.capacityRange = .with { $0.requiredBytes = bytes }
            $0.volumeCapabilities = [Self.capability(mode)]
        }).volume
    }

    /// How many mounts sit on `path` (a repeated publish must not stack a second one).
    static func mountCount(_ path: String) -> Int {
        let text = MountTable.readProcFile("/proc/self/mountinfo") ?? ""
        return text.split(separator: "\n").filter { $0.split(separator: " ").dropFirst(4).first.map(String.init) == path }.count
    }
}

/// The gRPC status code a call failed with.
func code(_ body: () async throws -> Void) async -> RPCError.Code? {
    do {
        try await body()
        return nil
    } catch let e as RPCError {
        return e.code
    } catch {
        return .unknown
    }
}

/// Runs `body` against a fresh driver and always cleans up after it.
func withDriver(_ body: (DriverFixture) async throws -> Void) async throws {
    let f = try await DriverFixture()
    do { try await body(f) } catch {
        await f.close()
        throw error
    }
    await f.close()
}
