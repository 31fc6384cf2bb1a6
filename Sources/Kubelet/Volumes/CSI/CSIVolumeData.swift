import Foundation

/// `vol_data.json` beside a pod's CSI mount: enough to unpublish and unstage it after a kubelet
/// restart, when the pod itself may be gone from the API server.
struct CSIVolumeData: Codable, Sendable, Equatable {
    var driverName: String
    var volumeHandle: String
    /// Empty when the driver does not stage.
    var stagingPath: String
    var ephemeral: Bool

    static func read(_ path: String) -> CSIVolumeData? {
        FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(Self.self, from: $0) }
    }

    func write(_ path: String) throws {
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
