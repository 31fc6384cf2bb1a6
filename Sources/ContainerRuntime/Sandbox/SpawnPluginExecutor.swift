import CNI
import Foundation

/// Runs CNI plugins through the runtime's posix_spawn runner: nothing but stdio is inherited.
struct SpawnPluginExecutor: CNIPluginExecutor {
    func run(plugin: String, environment: [String: String], stdin: Data) async throws -> (status: Int32, stdout: Data, stderr: Data) {
        let result = try await Command(plugin, [], environment: environment, stdin: stdin).run()
        return (result.status, result.stdout, result.stderr)
    }
}
