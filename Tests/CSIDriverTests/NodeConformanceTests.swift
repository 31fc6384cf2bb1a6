import CSI
import CSIDriver
import Foundation
import GRPCCore
import Testing

@Suite("CSI conformance: node", .serialized, .enabled(if: getuid() == 0, "bind mounts need root"))
struct NodeConformanceTests {
    @Test func infoAndCapabilities() async throws {
        try await withDriver { f in
            let info = try await f.node.nodeGetInfo(.init())
            #expect(info.nodeID == DriverFixture.nodeID)
            #expect(info.accessibleTopology.segments == [HostPathConfiguration.topologyKey: DriverFixture.nodeID])
            let caps = try await f.node.nodeGetCapabilities(.init()).capabilities.compactMap { c -> Csi_V1_NodeServiceCapability.RPC.TypeEnum? in
                if case .rpc(let r)? = c.type { return r.type }
                return nil
            }
            #expect(caps == [.stageUnstageVolume])
        }
    }

    @Test func stagePublishWriteUnpublishUnstage() async throws {
        try await withDriver { f in
            let v = try await f.create("pvc-rw")
            let staging = f.dir + "/global/\(v.volumeID)", target = f.dir + "/pods/p1/mount"
            for _ in 0..<2 {
                _ = try await f.node.nodeStageVolume(.with {
                    $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.volumeCapability = DriverFixture.capability()
                })
            }
            #expect(DriverFixture.mountCount(staging) == 1)
            for _ in 0..<2 {
                _ = try await f.node.nodePublishVolume(.with {
                    $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.targetPath = target
                    $0.volumeCapability = DriverFixture.capability()
                })
            }
            #expect(DriverFixture.mountCount(target) == 1)
            try "hello".write(toFile: target + "/file", atomically: false, encoding: .utf8)
            let stored = "\(f.configuration.stateDirectory)/volumes/\(v.volumeID)/data/file"
            #expect((try? String(contentsOfFile: stored, encoding: .utf8)) == "hello")

            for _ in 0..<2 {
                _ = try await f.node.nodeUnpublishVolume(.with { $0.volumeID = v.volumeID; $0.targetPath = target })
            }
            #expect(DriverFixture.mountCount(target) == 0)
            #expect(!FileManager.default.fileExists(atPath: target))
            for _ in 0..<2 {
                _ = try await f.node.nodeUnstageVolume(.with { $0.volumeID = v.volumeID; $0.stagingTargetPath = staging })
            }
            #expect(DriverFixture.mountCount(staging) == 0)
            // The data outlives the mounts.
            #expect(FileManager.default.fileExists(atPath: stored))
        }
    }

    @Test func readOnlyPublish() async throws {
        try await withDriver { f in
            let v = try await f.create("pvc-ro")
            let staging = f.dir + "/global/ro", target = f.dir + "/pods/ro/mount"
            _ = try await f.node.nodeStageVolume(.with {
                $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.volumeCapability = DriverFixture.capability()
            })
            _ = try await f.node.nodePublishVolume(.with {
                $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.targetPath = target
                $0.volumeCapability = DriverFixture.capability(); $0.readonly = true
            })
            #expect(MountTable.isReadOnly(target))
            #expect(!FileManager.default.createFile(atPath: target + "/nope", contents: Data("x".utf8)))
            // The same target with other options is a conflict, not a second mount.
            #expect(await code {
                _ = try await f.node.nodePublishVolume(.with {
                    $0.volumeID = v.volumeID; $0.stagingTargetPath = staging; $0.targetPath = target
                    $0.volumeCapability = DriverFixture.capability()
                })
            } == .alreadyExists)
            #expect(DriverFixture.mountCount(target) == 1)
            _ = try await f.node.nodeUnpublishVolume(.with { $0.volumeID = v.volumeID; $0.targetPath = target })
            _ = try await f.node.nodeUnstageVolume(.with { $0.volumeID = v.volumeID; $0.stagingTargetPath = staging })
        }
    }

    @Test func badNodeArguments() async throws {
        try await withDriver { f in
            let v = try await f.create("pvc-args")
            let cap = DriverFixture.capability()
            let path = f.dir + "/x"
            #expect(await code { _ = try await f.node.nodeStageVolume(.with { $0.stagingTargetPath = path; $0.volumeCapability = cap }) } == .invalidArgument)
            #expect(await code { _ = try await f.node.nodeStageVolume(.with { $0.volumeID = v.volumeID; $0.volumeCapability = cap }) } == .invalidArgument)
            #expect(await code { _ = try await f.node.nodeStageVolume(.with { $0.volumeID = v.volumeID; $0.stagingTargetPath = path }) } == .invalidArgument)
            #expect(await code {
                _ = try await f.node.nodeStageVolume(.with { $0.volumeID = "vol-unknown"; $0.stagingTargetPath = path; $0.volumeCapability = cap })
            } == .notFound)
            #expect(await code { _ = try await f.node.nodePublishVolume(.with { $0.targetPath = path; $0.volumeCapability = cap }) } == .invalidArgument)
            #expect(await code { _ = try await f.node.nodePublishVolume(.with { $0.volumeID = v.volumeID; $0.volumeCapability = cap }) } == .invalidArgument)
            #expect(await code { _ = try await f.node.nodePublishVolume(.with { $0.volumeID = v.volumeID; $0.targetPath = path }) } == .invalidArgument)
            #expect(await code {
                _ = try await f.node.nodePublishVolume(.with { $0.volumeID = "vol-unknown"; $0.targetPath = path; $0.volumeCapability = cap })
            } == .notFound)
            // Publishing from a staging path nothing was staged at.
            #expect(await code {
                _ = try await f.node.nodePublishVolume(.with {
                    $0.volumeID = v.volumeID; $0.stagingTargetPath = f.dir + "/never"; $0.targetPath = path; $0.volumeCapability = cap
                })
            } == .failedPrecondition)
            #expect(await code { _ = try await f.node.nodeUnpublishVolume(.with { $0.targetPath = path }) } == .invalidArgument)
            #expect(await code { _ = try await f.node.nodeUnpublishVolume(.with { $0.volumeID = v.volumeID }) } == .invalidArgument)
            #expect(await code { _ = try await f.node.nodeUnpublishVolume(.with { $0.volumeID = "vol-unknown"; $0.targetPath = path }) } == .notFound)
            #expect(await code { _ = try await f.node.nodeUnstageVolume(.with { $0.stagingTargetPath = path }) } == .invalidArgument)
            #expect(await code { _ = try await f.node.nodeUnstageVolume(.with { $0.volumeID = v.volumeID }) } == .invalidArgument)
            #expect(DriverFixture.mountCount(path) == 0)
        }
    }

    @Test func anotherVolumeOnAPublishedTargetIsRefused() async throws {
        try await withDriver { f in
            let a = try await f.create("pvc-a"), b = try await f.create("pvc-b")
            let target = f.dir + "/pods/shared/mount"
            _ = try await f.node.nodePublishVolume(.with { $0.volumeID = a.volumeID; $0.targetPath = target; $0.volumeCapability = DriverFixture.capability() })
            #expect(await code {
                _ = try await f.node.nodePublishVolume(.with { $0.volumeID = b.volumeID; $0.targetPath = target; $0.volumeCapability = DriverFixture.capability() })
            } == .alreadyExists)
            #expect(DriverFixture.mountCount(target) == 1)
            // A published volume is not deleted from under its pod.
            #expect(await code { _ = try await f.controller.deleteVolume(.with { $0.volumeID = a.volumeID }) } == .failedPrecondition)
            _ = try await f.node.nodeUnpublishVolume(.with { $0.volumeID = a.volumeID; $0.targetPath = target })
        }
    }

    @Test func inlineVolumeLivesAsLongAsItsPublish() async throws {
        try await withDriver { f in
            let target = f.dir + "/pods/inline/mount"
            let id = "csi-inline-1"
            _ = try await f.node.nodePublishVolume(.with {
                $0.volumeID = id; $0.targetPath = target; $0.volumeCapability = DriverFixture.capability()
                $0.volumeContext = [HostPathDriver.ephemeralKey: "true"]
            })
            try "x".write(toFile: target + "/f", atomically: false, encoding: .utf8)
            #expect(FileManager.default.fileExists(atPath: "\(f.configuration.stateDirectory)/volumes/\(id)/data/f"))
            _ = try await f.node.nodeUnpublishVolume(.with { $0.volumeID = id; $0.targetPath = target })
            #expect(!FileManager.default.fileExists(atPath: "\(f.configuration.stateDirectory)/volumes/\(id)"))
        }
    }
}
