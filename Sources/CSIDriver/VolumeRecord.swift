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
