import Foundation

/// A pulled or imported image as the runtime keeps it.
struct ImageRecord: Codable, Sendable, Equatable {
    /// The config digest, which is what CRI calls the image ID.
    var id: String
    var repoTags: [String]
    var repoDigests: [String]
    var manifestDigest: String
    /// Bytes of the config and compressed layers.
    var size: UInt64
    /// Diff IDs from the bottom layer up.
    var layers: [String]
    var config: OCIImageConfig.Runtime

    /// The uid the image runs as when it names a numeric user, for CRI's `Image.uid`.
    var uid: Int64? {
        guard let user = config.User, !user.isEmpty else { return 0 }
        return Int64(user.split(separator: ":").first ?? "")
    }

    var username: String {
        guard let user = config.User, uid == nil else { return "" }
        return String(user.split(separator: ":").first ?? "")
    }
}
