import Foundation

/// The OCI runtime binary (runc, or crun) driven by its command line, with a root of our own.
struct OCIRuntime: Sendable {
    let path: String
    let root: String

    func start(_ id: String) async throws {
        try await command(["start", id]).check()
    }

    func kill(_ id: String, signal: String) async throws {
        let result = try await command(["kill", id, signal]).run()
        // Killing a container that has already exited is not a failure.
        if !result.succeeded, !result.errorText.contains("not running"), !result.errorText.contains("does not exist") {
            throw RuntimeError.command("kill \(id): \(result.errorText)")
        }
    }

    func delete(_ id: String) async throws {
        let result = try await command(["delete", "--force", id]).run()
        if !result.succeeded, !result.errorText.contains("does not exist") {
            throw RuntimeError.command("delete \(id): \(result.errorText)")
        }
    }

    func exec(_ id: String, _ arguments: [String], timeout: Duration?) async throws -> Command.Result {
        try await Command(path, ["--root", root, "exec", id] + arguments, timeout: timeout).run()
    }

    /// Applies new limits to a running container (`runc update -r`, OCI resources JSON on stdin).
    func update(_ id: String, resources: OCISpec.Resources) async throws {
        var limits = resources
        limits.devices = nil
        let json = try JSONEncoder().encode(limits)
        try await Command(path, ["--root", root, "update", "-r", "-", id], stdin: json).check()
    }

    private func command(_ arguments: [String]) -> Command {
        Command(path, ["--root", root] + arguments)
    }
}
