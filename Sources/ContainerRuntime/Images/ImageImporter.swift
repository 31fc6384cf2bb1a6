import Logging

/// Imports OCI layout archives straight into a runtime's image store, for machines without a
/// registry; a running runtime picks the change up from disk.
public struct ImageImporter: Sendable {
    public struct Imported: Sendable {
        public let id: String
        public let names: [String]
    }

    let manager: ImageManager

    public init(rootDirectory: String) throws {
        manager = try ImageManager(root: rootDirectory + "/images", hosts: RegistryHosts(), logger: Logger(label: "skiff.images"))
    }

    public func importArchive(_ path: String, name: String?) async throws -> [Imported] {
        try await manager.importLayout(archive: path, name: name).map { Imported(id: $0.id, names: $0.repoTags + $0.repoDigests) }
    }
}
