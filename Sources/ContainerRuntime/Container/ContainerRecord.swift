import CRI
import Foundation

/// A container as persisted. Its live state is not stored: it is derived from the monitor's
/// exit file and the process, so it stays right while the runtime is down.
struct ContainerRecord: Codable, Sendable {
    var id: String
    var sandboxID: String
    var configData: Data
    var imageID: String
    var imageName: String
    var createdAt: Int64
    var startedAt: Int64?
    /// Recorded the first time the exit is observed, so OOM and times survive `RemoveContainer` races.
    var exit: ContainerExit?
    var startError: String?
    var logPath: String
    var runtimePath: String
    var cgroupsPath: String
    var bundle: String
    var resourcesData: Data?

    var config: Runtime_V1_ContainerConfig {
        (try? Runtime_V1_ContainerConfig(serializedBytes: configData)) ?? .init()
    }

    var resources: Runtime_V1_LinuxContainerResources {
        resourcesData.flatMap { try? Runtime_V1_LinuxContainerResources(serializedBytes: $0) } ?? config.linux.resources
    }
}

struct ContainerExit: Codable, Sendable, Equatable {
    var code: Int32
    var finishedAt: Int64
    var oomKilled: Bool
}
