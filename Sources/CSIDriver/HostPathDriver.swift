import CSI
import Foundation
import GRPCCore
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The host-path driver's state and operations. One actor, so calls on the same volume never
/// interleave; every operation is idempotent and re-derives what exists from the disk and the
/// mount table, so a driver killed at any point and started again finishes or undoes it.
public actor HostPathDriver {
    public static let ephemeralKey = "csi.storage.k8s.io/ephemeral"

    public let configuration: HostPathConfiguration
    let state: HostPathState
    let logger: Logger

    public init(configuration: HostPathConfiguration, logger: Logger) throws {
        self.configuration = configuration
        state = HostPathState(root: configuration.stateDirectory)
        self.logger = logger
        try state.prepare()
        Self.recover(state, logger: logger)
    }

    /// After a crash: records half-written, half-created volumes and the trash go; records of
    /// mounts that never happened are dropped; inline volumes no publish holds any more are removed.
    static func recover(_ state: HostPathState, logger: Logger) {
        let fm = FileManager.default
        for dir in [state.stagedDir(), state.publishedDir()] { DurableFile.removeTemporaries(in: dir) }
        for name in (try? fm.contentsOfDirectory(atPath: state.volumesDir)) ?? [] {
            DurableFile.removeTemporaries(in: state.volumeDir(name))
        }
        for name in (try? fm.contentsOfDirectory(atPath: state.trashDir)) ?? [] {
            try? fm.removeItem(atPath: "\(state.trashDir)/\(name)")
        }
        for name in (try? fm.contentsOfDirectory(atPath: state.volumesDir)) ?? [] where state.volume(name) == nil {
            logger.notice("removing a half-created volume", metadata: ["volume": "\(name)"])
            try? fm.removeItem(atPath: state.volumeDir(name))
        }
        let mounted = MountTable.mountPoints()
        for dir in [state.stagedDir(), state.publishedDir()] {
            for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
                let file = "\(dir)/\(name)"
                let record = fm.contents(atPath: file).flatMap { try? JSONDecoder().decode(MountRecord.self, from: $0) }
                if let record, mounted.contains(MountTable.normalized(record.path)) { continue }
                try? fm.removeItem(atPath: file)
            }
        }
        let held = Set(state.mountRecords(state.publishedDir()).map(\.volumeID))
        for v in state.volumes() where v.ephemeral && !held.contains(v.id) {
            try? state.delete(v.id)
        }
    }

    public var topology: Csi_V1_Topology {
        .with { $0.segments = configuration.topologySegments }
    }

    // Controller.

    func createVolume(_ r: Csi_V1_CreateVolumeRequest) throws -> Csi_V1_Volume {
        guard !r.name.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume name is required") }
        guard !r.volumeCapabilities.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume capabilities are required") }
        for c in r.volumeCapabilities {
            if let problem = CapabilityCheck.problem(c) { throw RPCError(code: .invalidArgument, message: problem) }
        }
        let required = r.capacityRange.requiredBytes, limit = r.capacityRange.limitBytes
        guard required >= 0, limit >= 0, limit == 0 || limit >= required else {
            throw RPCError(code: .outOfRange, message: "capacity range: limit \(limit) is below required \(required)")
        }
        if r.hasAccessibilityRequirements, !r.accessibilityRequirements.requisite.isEmpty {
            let ours = r.accessibilityRequirements.requisite + r.accessibilityRequirements.preferred
            guard ours.contains(where: { $0.segments[HostPathConfiguration.topologyKey] == configuration.nodeID }) else {
                throw RPCError(code: .resourceExhausted,
                               message: "volume cannot be created on node \(configuration.nodeID): it is not in the requested topology")
            }
        }
        let id = "vol-" + StableID.hex(r.name)
        if let existing = state.volume(id) {
            guard existing.name == r.name, existing.capacityBytes >= required, limit == 0 || existing.capacityBytes <= limit else {
                throw RPCError(code: .alreadyExists,
                               message: "volume \(r.name) already exists with capacity \(existing.capacityBytes), incompatible with the request")
            }
            return volume(existing)
        }
        let capacity = required > 0 ? required : (limit > 0 ? min(limit, configuration.defaultVolumeBytes) : configuration.defaultVolumeBytes)
        let available = availableBytes()
        guard capacity <= available else {
            throw RPCError(code: .outOfRange, message: "requested capacity \(capacity) exceeds the \(available) bytes available on node \(configuration.nodeID)")
        }
        let record = VolumeRecord(id: id, name: r.name, capacityBytes: capacity, ephemeral: false)
        do { try state.create(record, beforeRecord: { pause(.createVolume) }) } catch {
            throw RPCError(code: .internalError, message: "create volume \(r.name): \(error)")
        }
        logger.info("volume created", metadata: ["volume": "\(id)", "name": "\(r.name)", "bytes": "\(capacity)"])
        return volume(record)
    }

    func deleteVolume(_ id: String) throws {
        guard !id.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume id is required") }
        guard state.volume(id) != nil else { return }
        if state.mountRecords(state.publishedDir()).contains(where: { $0.volumeID == id }) {
            throw RPCError(code: .failedPrecondition, message: "volume \(id) is still published")
        }
        do { try state.delete(id, beforeEmptying: { pause(.deleteVolume) }) } catch {
            throw RPCError(code: .internalError, message: "delete volume \(id): \(error)")
        }
        logger.info("volume deleted", metadata: ["volume": "\(id)"])
    }

    func validate(_ r: Csi_V1_ValidateVolumeCapabilitiesRequest) throws -> Csi_V1_ValidateVolumeCapabilitiesResponse {
        guard !r.volumeID.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume id is required") }
        guard !r.volumeCapabilities.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume capabilities are required") }
        guard state.volume(r.volumeID) != nil else { throw RPCError(code: .notFound, message: "volume \(r.volumeID) not found") }
        if let problem = r.volumeCapabilities.lazy.compactMap(CapabilityCheck.problem).first {
            return .with { $0.message = problem }
        }
        return .with {
            $0.confirmed = .with {
                $0.volumeContext = r.volumeContext
                $0.volumeCapabilities = r.volumeCapabilities
                $0.parameters = r.parameters
            }
        }
    }

    func listVolumes(maxEntries: Int32, startingToken: String) throws -> Csi_V1_ListVolumesResponse {
        let all = state.volumes().filter { !$0.ephemeral }
        let start: Int
        if startingToken.isEmpty { start = 0 } else {
            guard let n = Int(startingToken), n >= 0, n <= all.count else {
                throw RPCError(code: .aborted, message: "invalid starting token \(startingToken)")
            }
            start = n
        }
        guard maxEntries >= 0 else { throw RPCError(code: .invalidArgument, message: "max_entries must not be negative") }
        let end = maxEntries == 0 ? all.count : min(all.count, start + Int(maxEntries))
        return .with {
            $0.entries = all[start..<end].map { v in .with { $0.volume = volume(v) } }
            if end < all.count { $0.nextToken = String(end) }
        }
    }

    func availableBytes() -> Int64 {
        var s = statvfs()
        guard statvfs(configuration.stateDirectory, &s) == 0 else { return 0 }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }

    private func volume(_ r: VolumeRecord) -> Csi_V1_Volume {
        .with {
            $0.volumeID = r.id
            $0.capacityBytes = r.capacityBytes
            $0.accessibleTopology = [topology]
        }
    }

    // Node.

    func stage(_ r: Csi_V1_NodeStageVolumeRequest) throws {
        guard !r.volumeID.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume id is required") }
        guard !r.stagingTargetPath.isEmpty else { throw RPCError(code: .invalidArgument, message: "staging target path is required") }
        guard r.hasVolumeCapability else { throw RPCError(code: .invalidArgument, message: "volume capability is required") }
        if let problem = CapabilityCheck.problem(r.volumeCapability) { throw RPCError(code: .invalidArgument, message: problem) }
        guard state.volume(r.volumeID) != nil else { throw RPCError(code: .notFound, message: "volume \(r.volumeID) not found") }
        try mountOnce(state.stagedDir(), volumeID: r.volumeID, source: state.dataDir(r.volumeID), target: r.stagingTargetPath, readOnly: false)
        pause(.nodeStageVolume)
    }

    func unstage(_ r: Csi_V1_NodeUnstageVolumeRequest) throws {
        guard !r.volumeID.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume id is required") }
        guard !r.stagingTargetPath.isEmpty else { throw RPCError(code: .invalidArgument, message: "staging target path is required") }
        let record = state.mountRecord(state.stagedDir(), path: r.stagingTargetPath)
        guard state.volume(r.volumeID) != nil || record != nil else {
            throw RPCError(code: .notFound, message: "volume \(r.volumeID) not found")
        }
        try unmountOnce(state.stagedDir(), target: r.stagingTargetPath)
    }

    func publish(_ r: Csi_V1_NodePublishVolumeRequest) throws {
        guard !r.volumeID.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume id is required") }
        guard !r.targetPath.isEmpty else { throw RPCError(code: .invalidArgument, message: "target path is required") }
        guard r.hasVolumeCapability else { throw RPCError(code: .invalidArgument, message: "volume capability is required") }
        if let problem = CapabilityCheck.problem(r.volumeCapability) { throw RPCError(code: .invalidArgument, message: problem) }
        let ephemeral = r.volumeContext[Self.ephemeralKey] == "true"
        if ephemeral, state.volume(r.volumeID) == nil {
            guard !r.volumeID.contains("/"), r.volumeID != ".", r.volumeID != ".." else {
                throw RPCError(code: .invalidArgument, message: "invalid volume id \(r.volumeID)")
            }
            do {
                try state.create(VolumeRecord(id: r.volumeID, name: r.volumeID, capacityBytes: configuration.defaultVolumeBytes, ephemeral: true))
            } catch {
                throw RPCError(code: .internalError, message: "create inline volume \(r.volumeID): \(error)")
            }
        }
        guard state.volume(r.volumeID) != nil else { throw RPCError(code: .notFound, message: "volume \(r.volumeID) not found") }
        var source = state.dataDir(r.volumeID)
        if !r.stagingTargetPath.isEmpty {
            guard state.mountRecord(state.stagedDir(), path: r.stagingTargetPath)?.volumeID == r.volumeID,
                  MountTable.isMountPoint(r.stagingTargetPath) else {
                throw RPCError(code: .failedPrecondition, message: "volume \(r.volumeID) is not staged at \(r.stagingTargetPath)")
            }
            source = r.stagingTargetPath
        }
        let readOnly = r.readonly || CapabilityCheck.readOnlyMode(r.volumeCapability)
        try mountOnce(state.publishedDir(), volumeID: r.volumeID, source: source, target: r.targetPath, readOnly: readOnly)
        pause(.nodePublishVolume)
    }

    /// The test hook: holds the call (and the actor: nothing else runs meanwhile, as in a
    /// driver stuck in a slow mount) so that a kill lands in the middle of it.
    private func pause(_ call: HostPathPause) {
        guard configuration.pauses.contains(call) else { return }
        logger.warning("pausing in \(call.rawValue) (test hook)", metadata: ["seconds": "\(configuration.pauseDuration)"])
        let c = configuration.pauseDuration.components
        Thread.sleep(forTimeInterval: Double(c.seconds) + Double(c.attoseconds) / 1e18)
    }

    func unpublish(_ r: Csi_V1_NodeUnpublishVolumeRequest) throws {
        guard !r.volumeID.isEmpty else { throw RPCError(code: .invalidArgument, message: "volume id is required") }
        guard !r.targetPath.isEmpty else { throw RPCError(code: .invalidArgument, message: "target path is required") }
        let volume = state.volume(r.volumeID)
        guard volume != nil || state.mountRecord(state.publishedDir(), path: r.targetPath) != nil else {
            throw RPCError(code: .notFound, message: "volume \(r.volumeID) not found")
        }
        try unmountOnce(state.publishedDir(), target: r.targetPath)
        if let volume, volume.ephemeral,
           !state.mountRecords(state.publishedDir()).contains(where: { $0.volumeID == volume.id }) {
            try? state.delete(volume.id)
        }
    }

    /// Record, then mount: an existing mount of the same volume is success, of another volume
    /// (or with other options) ALREADY_EXISTS; never a second mount on the same target.
    private func mountOnce(_ dir: String, volumeID: String, source: String, target: String, readOnly: Bool) throws {
        if MountTable.isMountPoint(target) {
            guard let existing = state.mountRecord(dir, path: target), existing.volumeID == volumeID else {
                throw RPCError(code: .alreadyExists, message: "\(target) is already a mount point of another volume")
            }
            guard existing.readOnly == readOnly else {
                throw RPCError(code: .alreadyExists, message: "volume \(volumeID) is already mounted at \(target) with other options")
            }
            return
        }
        do {
            try state.saveMount(dir, MountRecord(volumeID: volumeID, path: target, readOnly: readOnly))
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try MountTable.bind(source, target, readOnly: readOnly)
        } catch let e as MountError {
            state.removeMount(dir, path: target)
            throw RPCError(code: .internalError, message: e.description)
        } catch {
            state.removeMount(dir, path: target)
            throw RPCError(code: .internalError, message: "\(error)")
        }
        logger.debug("mounted", metadata: ["volume": "\(volumeID)", "target": "\(target)", "readOnly": "\(readOnly)"])
    }

    /// Unmount, remove the (now empty) mount point with rmdir only, forget the record.
    private func unmountOnce(_ dir: String, target: String) throws {
        do { try MountTable.unmount(target) } catch {
            throw RPCError(code: .internalError, message: error.description)
        }
        rmdir(target)
        state.removeMount(dir, path: target)
    }
}
