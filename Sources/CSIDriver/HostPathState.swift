import CSI
import Foundation

/// The driver's files: volumes (`volumes/<id>/volume.json` + `data/`), a trash directory that
/// deletions move through, and the records of staging and publish mounts (`node/staged`,
/// `node/published`). Every record is written durably and atomically (`DurableFile`).
struct HostPathState: Sendable {
    let root: String

    var volumesDir: String { root + "/volumes" }
    var trashDir: String { root + "/trash" }
    func stagedDir() -> String { root + "/node/staged" }
    func publishedDir() -> String { root + "/node/published" }

    func volumeDir(_ id: String) -> String { "\(volumesDir)/\(id)" }
    func dataDir(_ id: String) -> String { "\(volumesDir)/\(id)/data" }

    func prepare() throws {
        for d in [volumesDir, trashDir, stagedDir(), publishedDir()] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        }
    }

    // Volumes.

    func volume(_ id: String) -> VolumeRecord? {
        guard !id.isEmpty, !id.contains("/"), id != ".", id != "..",
              let data = FileManager.default.contents(atPath: volumeDir(id) + "/volume.json") else { return nil }
        return try? JSONDecoder().decode(VolumeRecord.self, from: data)
    }

    func volumes() -> [VolumeRecord] {
        ((try? FileManager.default.contentsOfDirectory(atPath: volumesDir)) ?? []).sorted().compactMap(volume)
    }

    /// Data directory first, record last: a volume exists once its record does. `beforeRecord`
    /// runs in between (the test hook that holds a call half-done).
    func create(_ record: VolumeRecord, beforeRecord: () -> Void = {}) throws {
        try FileManager.default.createDirectory(atPath: dataDir(record.id), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        beforeRecord()
        try write(record, to: volumeDir(record.id) + "/volume.json")
    }

    /// Moves the volume into the trash (one rename: it is gone at once), then empties the trash.
    func delete(_ id: String, beforeEmptying: () -> Void = {}) throws {
        let dir = volumeDir(id)
        guard FileManager.default.fileExists(atPath: dir) else { return }
        let trash = "\(trashDir)/\(id)-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.moveItem(atPath: dir, toPath: trash)
        DurableFile.syncDirectory(volumesDir)
        beforeEmptying()
        try? FileManager.default.removeItem(atPath: trash)
    }

    // Mount records.

    func mountRecords(_ dir: String) -> [MountRecord] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !DurableFile.isTemporary($0) }.compactMap { name in
            FileManager.default.contents(atPath: "\(dir)/\(name)").flatMap { try? JSONDecoder().decode(MountRecord.self, from: $0) }
        }
    }

    func mountRecord(_ dir: String, path: String) -> MountRecord? {
        FileManager.default.contents(atPath: recordPath(dir, path)).flatMap { try? JSONDecoder().decode(MountRecord.self, from: $0) }
    }

    func saveMount(_ dir: String, _ record: MountRecord) throws { try write(record, to: recordPath(dir, record.path)) }

    func removeMount(_ dir: String, path: String) { try? FileManager.default.removeItem(atPath: recordPath(dir, path)) }

    private func recordPath(_ dir: String, _ path: String) -> String {
        "\(dir)/\(StableID.hex(MountTable.normalized(path))).json"
    }

    private func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try DurableFile.write(try encoder.encode(value), to: path)
    }
}
