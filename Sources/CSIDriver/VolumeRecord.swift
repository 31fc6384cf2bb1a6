import Foundation

/// A volume as the driver keeps it on disk: `<state>/volumes/<id>/volume.json` beside its data.
struct VolumeRecord: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var capacityBytes: Int64
    /// Inline (ephemeral) volumes are created by NodePublish and removed by NodeUnpublish.
    var ephemeral: Bool
}

/// A staging or publish mount the driver made, written before the mount(2) so that a restart
/// knows every mount it may have left behind.
struct MountRecord: Codable, Sendable, Equatable {
    var volumeID: String
    var path: String
    var readOnly: Bool
}

/// Stable, path-safe identifiers from names and paths (FNV-1a, 64 bits): the same CreateVolume
/// name always maps to the same directory, so a retry after a crash finds what the first try made.
enum StableID {
    static func hex(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
