import CSI
import CSIDriver
import Foundation
import GRPCCore
import Testing

@Suite("CSI conformance: controller", .serialized)
struct ControllerConformanceTests {
    @Test func capabilities() async throws {
        try await withDriver { f in
            let caps = try await f.controller.controllerGetCapabilities(.init()).capabilities.compactMap { c -> Csi_V1_ControllerServiceCapability.RPC.TypeEnum? in
                if case .rpc(let r)? = c.type { return r.type }
                return nil
            }
            #expect(Set(caps) == [.createDeleteVolume, .listVolumes, .getCapacity])
        }
    }

    @Test func createIsIdempotentByName() async throws {
        try await withDriver { f in
            let a = try await f.create("pvc-1", bytes: 1 << 20)
            let b = try await f.create("pvc-1", bytes: 1 << 20)
            #expect(a.volumeID == b.volumeID)
            #expect(a.capacityBytes == 1 << 20)
            #expect(a.accessibleTopology.first?.segments[HostPathConfiguration.topologyKey] == DriverFixture.nodeID)
            let other = try await f.create("pvc-2")
            #expect(other.volumeID != a.volumeID)
            // The same name with a capacity the volume does not have.
            #expect(await code { _ = try await f.create("pvc-1", bytes: 1 << 30) } == .alreadyExists)
            let list = try await f.controller.listVolumes(.init()).entries.map(\.volume.volumeID)
            #expect(Set(list) == [a.volumeID, other.volumeID])
        }
    }

    @Test func badCreateArguments() async throws {
        try await withDriver { f in
            #expect(await code { _ = try await f.create("") } == .invalidArgument)
            #expect(await code {
                _ = try await f.controller.createVolume(.with { $0.name = "no-caps" })
            } == .invalidArgument)
            #expect(await code { _ = try await f.create("rwx", mode: .multiNodeMultiWriter) } == .invalidArgument)
            #expect(await code {
                _ = try await f.controller.createVolume(.with {
                    $0.name = "block"
                    $0.volumeCapabilities = [.with { $0.block = .init(); $0.accessMode = .with { $0.mode = .singleNodeWriter } }]
                })
            } == .invalidArgument)
            #expect(await code {
                _ = try await f.controller.createVolume(.with {
                    $0.name = "elsewhere"
                    $0.volumeCapabilities = [DriverFixture.capability()]
                    $0.accessibilityRequirements = .with {
                        $0.requisite = [.with { $0.segments = [HostPathConfiguration.topologyKey: "node-b"] }]
                    }
                })
            } == .resourceExhausted)
            #expect(await code { _ = try await f.create("huge", bytes: Int64.max / 2) } == .outOfRange)
            // Nothing was left behind by the failures.
            let none = try await f.controller.listVolumes(.init()).entries.isEmpty
            #expect(none)
        }
    }

    @Test func accessModesTheDriverHonours() async throws {
        try await withDriver { f in
            for mode: Csi_V1_VolumeCapability.AccessMode.Mode in [.singleNodeWriter, .singleNodeSingleWriter, .multiNodeReaderOnly] {
                _ = try await f.create("mode-\(mode.rawValue)", mode: mode)
            }
        }
    }

    @Test func deleteIsIdempotentAndRemovesTheData() async throws {
        try await withDriver { f in
            let v = try await f.create("pvc-del")
            let data = "\(f.configuration.stateDirectory)/volumes/\(v.volumeID)"
            #expect(FileManager.default.fileExists(atPath: data))
            _ = try await f.controller.deleteVolume(.with { $0.volumeID = v.volumeID })
            #expect(!FileManager.default.fileExists(atPath: data))
            _ = try await f.controller.deleteVolume(.with { $0.volumeID = v.volumeID })
            _ = try await f.controller.deleteVolume(.with { $0.volumeID = "never-existed" })
            #expect(await code { _ = try await f.controller.deleteVolume(.init()) } == .invalidArgument)
        }
    }

    @Test func validateCapabilities() async throws {
        try await withDriver { f in
            let v = try await f.create("pvc-val")
            let ok = try await f.controller.validateVolumeCapabilities(.with {
                $0.volumeID = v.volumeID
                $0.volumeCapabilities = [DriverFixture.capability()]
            })
            #expect(ok.hasConfirmed)
            let no = try await f.controller.validateVolumeCapabilities(.with {
                $0.volumeID = v.volumeID
                $0.volumeCapabilities = [DriverFixture.capability(.multiNodeMultiWriter)]
            })
            #expect(!no.hasConfirmed && !no.message.isEmpty)
            #expect(await code {
                _ = try await f.controller.validateVolumeCapabilities(.with { $0.volumeCapabilities = [DriverFixture.capability()] })
            } == .invalidArgument)
            #expect(await code {
                _ = try await f.controller.validateVolumeCapabilities(.with { $0.volumeID = v.volumeID })
            } == .invalidArgument)
            #expect(await code {
                _ = try await f.controller.validateVolumeCapabilities(.with {
                    $0.volumeID = "vol-unknown"
                    $0.volumeCapabilities = [DriverFixture.capability()]
                })
            } == .notFound)
        }
    }

    @Test func capacityAndPaging() async throws {
        try await withDriver { f in
            let cap = try await f.controller.getCapacity(.init())
            #expect(cap.availableCapacity > 0)
            let elsewhere = try await f.controller.getCapacity(.with {
                $0.accessibleTopology = .with { $0.segments = [HostPathConfiguration.topologyKey: "node-b"] }
            })
            #expect(elsewhere.availableCapacity == 0)
            for i in 0..<3 { _ = try await f.create("page-\(i)") }
            let first = try await f.controller.listVolumes(.with { $0.maxEntries = 2 })
            #expect(first.entries.count == 2 && !first.nextToken.isEmpty)
            let rest = try await f.controller.listVolumes(.with { $0.startingToken = first.nextToken })
            #expect(rest.entries.count == 1)
            #expect(await code { _ = try await f.controller.listVolumes(.with { $0.startingToken = "bogus" }) } == .aborted)
        }
    }
}
