import CSI
import CSIDriver
import Foundation
import GRPCCore
import Testing

/// `kill -9` of a real `skiff csi-hostpath` process in the middle of CreateVolume,
/// NodeStageVolume, NodePublishVolume and DeleteVolume (held there by the driver's test hook),
/// then a restart on the same state: the CO's retries find the same volume (no second
/// directory), no second mount stacked on a target (/proc/self/mountinfo), and unpublish,
/// unstage and delete leave no mount and no data.
@Suite("CSI driver process killed mid-call", .serialized,
       .enabled(if: getuid() == 0, "bind mounts need root"),
       .enabled(if: DriverProcess.binary != nil, "needs the skiff executable (swift build --product skiff)"))
struct ProcessKillTests {
    static let capability = DriverFixture.capability()

    /// Starts `call` against the paused driver, waits for `reached`, kills the driver and
    /// answers the call's failure (it must fail: the driver died before answering).
    func killDuring(_ d: DriverProcess, _ pause: HostPathPause, reached: @escaping () -> Bool,
                    _ call: @escaping @Sendable (DriverProcess) async throws -> Void) async throws {
        try await d.start(pausing: [pause])
        let inFlight = Task { try await call(d) }
        try await d.wait(for: "\(pause.rawValue) to reach its pause", reached)
        d.kill9()
        let result = await inFlight.result
        #expect(throws: (any Error).self, "\(pause.rawValue) must not have answered") { try result.get() }
        try await d.start()
    }

    @Test func registersThroughThePluginDirectory() async throws {
        try await withDriverProcess { d in
            try await d.start()
            let reg = try CSIConnection(endpoint: d.registrationSocket, timeout: .seconds(10))
            defer { reg.close() }
            let info = try await reg.registration.getInfo(.init())
            #expect(info.type == "CSIPlugin")
            #expect(info.name == HostPathConfiguration.defaultDriverName)
            #expect(info.endpoint == d.dir + "/csi.sock")
        }
    }

    @Test func killedInEveryCallLeavesNothingBehind() async throws {
        try await withDriverProcess { d in
            let name = "pvc-killed"
            let id = "vol-" + StableID.hex(name)
            let create: @Sendable (DriverProcess) async throws -> Void = { d in
                _ = try await d.controller.createVolume(.with {
                    $0.name = name
                    $0.capacityRange = .with { $0.requiredBytes = 1 << 20 }
                    $0.volumeCapabilities = [Self.capability]
                })
            }
            // CreateVolume: killed with the directory made and no record yet.
            try await killDuring(d, .createVolume, reached: {
                FileManager.default.fileExists(atPath: "\(d.stateDirectory)/volumes/\(id)/data")
            }, create)
            #expect(d.entries("volumes").isEmpty, "the restart removes the half-created volume")
            try await create(d)
            try await create(d)
            #expect(d.entries("volumes") == [id], "one volume, one directory, whatever the retries")
            let listed = try await d.controller.listVolumes(.init()).entries.map(\.volume.volumeID)
            #expect(listed == [id])

            // NodeStageVolume: killed with the staging mount made and not answered.
            let staging = d.dir + "/kubelet/plugins/kubernetes.io/csi/hostpath/x/globalmount"
            let stage: @Sendable (DriverProcess) async throws -> Void = { d in
                _ = try await d.node.nodeStageVolume(.with {
                    $0.volumeID = id; $0.stagingTargetPath = staging; $0.volumeCapability = Self.capability
                })
            }
            try await killDuring(d, .nodeStageVolume, reached: { MountTable.isMountPoint(staging) }, stage)
            try await stage(d)
            #expect(DriverFixture.mountCount(staging) == 1)

            // NodePublishVolume: killed with the pod's bind mount made and not answered.
            let target = d.dir + "/kubelet/pods/uid-1/volumes/kubernetes.io~csi/data/mount"
            let publish: @Sendable (DriverProcess) async throws -> Void = { d in
                _ = try await d.node.nodePublishVolume(.with {
                    $0.volumeID = id; $0.stagingTargetPath = staging; $0.targetPath = target; $0.volumeCapability = Self.capability
                })
            }
            try await killDuring(d, .nodePublishVolume, reached: { MountTable.isMountPoint(target) }, publish)
            try await publish(d)
            try await publish(d)
            #expect(DriverFixture.mountCount(target) == 1, "a retried publish must not stack a second bind mount")
            #expect(DriverFixture.mountCount(staging) == 1)
            // The data is the volume's: a file written through the pod's mount is in its directory.
            try "hello".write(toFile: target + "/f", atomically: false, encoding: .utf8)
            #expect(FileManager.default.fileExists(atPath: "\(d.stateDirectory)/volumes/\(id)/data/f"))

            // Unpublish and unstage (after one more kill with both mounts up) leave no mount.
            d.kill9()
            try await d.start()
            _ = try await d.node.nodeUnpublishVolume(.with { $0.volumeID = id; $0.targetPath = target })
            _ = try await d.node.nodeUnstageVolume(.with { $0.volumeID = id; $0.stagingTargetPath = staging })
            #expect(MountTable.mountPoints().filter { $0.hasPrefix(d.dir + "/") }.isEmpty)
            #expect(d.entries("node/published").isEmpty && d.entries("node/staged").isEmpty)

            // DeleteVolume: killed with the volume in the trash, not yet emptied.
            let delete: @Sendable (DriverProcess) async throws -> Void = { d in
                _ = try await d.controller.deleteVolume(.with { $0.volumeID = id })
            }
            try await killDuring(d, .deleteVolume, reached: { !d.entries("trash").isEmpty }, delete)
            try await delete(d)
            #expect(d.entries("volumes").isEmpty)
            #expect(d.entries("trash").isEmpty)
            let left = try await d.controller.listVolumes(.init()).entries
            #expect(left.isEmpty)
        }
    }
}
