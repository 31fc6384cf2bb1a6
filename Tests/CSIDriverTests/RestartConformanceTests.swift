import CSI
import CSIDriver
import Foundation
import GRPCCore
import Testing

/// A driver killed at any point (no cleanup at all) and started again on the same state
/// directory: nothing leaks and nothing is mounted twice.
@Suite("CSI conformance: restart after kill", .serialized, .enabled(if: getuid() == 0, "bind mounts need root"))
struct RestartConformanceTests {
    @Test func mountsSurviveAndRetriesDoNotStack() async throws {
        try await withDriver { f in
            let v = try await f.create("pvc-restart")
            let staging = f.dir + "/global/r", target = f.dir + "/pods/r/mount"
            _ = try await f.node.nodeStageVolume(.with { $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.volumeCapability = DriverFixture.capability() })
            _ = try await f.node.nodePublishVolume(.with {
                $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.targetPath = target; $0.volumeCapability = DriverFixture.capability()
            })
            try await f.restart()
            // The CO retries every step after the crash.
            let again = try await f.create("pvc-restart")
            #expect(again.volumeID == v.volumeID)
            _ = try await f.node.nodeStageVolume(.with { $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.volumeCapability = DriverFixture.capability() })
            _ = try await f.node.nodePublishVolume(.with {
                $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.targetPath = target; $0.volumeCapability = DriverFixture.capability()
            })
            #expect(DriverFixture.mountCount(staging) == 1)
            #expect(DriverFixture.mountCount(target) == 1)
            _ = try await f.node.nodeUnpublishVolume(.with { $0.volumeID = v.volumeID; $0.targetPath = target })
            _ = try await f.node.nodeUnstageVolume(.with { $0.volumeID = v.volumeID; $0.stagingTargetPath = staging })
            #expect(MountTable.mountPoints().filter { $0.hasPrefix(f.dir + "/") }.isEmpty)
            try await f.restart()
            _ = try await f.controller.deleteVolume(.with { $0.volumeID = v.volumeID })
            let none = try await f.controller.listVolumes(.init()).entries.isEmpty
            #expect(none)
        }
    }

    @Test func halfDoneWorkIsCleanedUp() async throws {
        try await withDriver { f in
            let state = f.configuration.stateDirectory
            // Killed between creating a volume's directory and writing its record…
            try FileManager.default.createDirectory(atPath: "\(state)/volumes/vol-half/data", withIntermediateDirectories: true)
            // …between moving a deleted volume to the trash and emptying it…
            try FileManager.default.createDirectory(atPath: "\(state)/trash/vol-gone-1/data", withIntermediateDirectories: true)
            // …between recording a publish and mounting it…
            let ghost = f.dir + "/pods/ghost/mount"
            let record = #"{"path":"\#(ghost)","readOnly":false,"volumeID":"vol-x"}"#
            try record.write(toFile: "\(state)/node/published/ghost.json", atomically: true, encoding: .utf8)
            // …and with an inline volume whose publish never happened.
            let target = f.dir + "/pods/eph/mount"
            _ = try await f.node.nodePublishVolume(.with {
                $0.volumeID = "csi-eph"; $0.targetPath = target; $0.volumeCapability = DriverFixture.capability()
                $0.volumeContext = [HostPathDriver.ephemeralKey: "true"]
            })
            try MountTable.unmount(target)
            try await f.restart()
            let fm = FileManager.default
            #expect(!fm.fileExists(atPath: "\(state)/volumes/vol-half"))
            #expect(((try? fm.contentsOfDirectory(atPath: "\(state)/trash")) ?? ["?"]).isEmpty)
            #expect(((try? fm.contentsOfDirectory(atPath: "\(state)/node/published")) ?? ["?"]).isEmpty)
            #expect(!fm.fileExists(atPath: "\(state)/volumes/csi-eph"))
            let none = try await f.controller.listVolumes(.init()).entries.isEmpty
            #expect(none)
        }
    }
}
