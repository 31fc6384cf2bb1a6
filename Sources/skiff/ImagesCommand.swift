import ArgumentParser
import ContainerRuntime
import Logging

struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images", abstract: "Manage the local image store.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load an OCI image layout archive (tar) into the runtime's store.")

        @Argument(help: "The archive, e.g. from `skopeo copy … oci-archive:FILE`.") var file: String
        @Option(help: "Name for images whose layout names only a tag, e.g. docker.io/library/busybox.") var name: String?
        @Option(help: "Persistent state directory of the runtime.") var rootDir = "/var/lib/skiff/runtime"

        func run() async throws {
            let records = try await ImageImporter(rootDirectory: rootDir).importArchive(file, name: name)
            for record in records { print("\(record.id)\t\(record.names.joined(separator: ","))") }
        }
    }
}
