import Foundation

/// Runs one CNI plugin binary: CNI_* environment, network config on stdin, result on stdout.
public protocol CNIPluginExecutor: Sendable {
    func run(plugin: String, environment: [String: String], stdin: Data) async throws -> (status: Int32, stdout: Data, stderr: Data)
}

/// Executes plugins as child processes, off the cooperative thread pool.
public struct ProcessPluginExecutor: CNIPluginExecutor {
    public init() {}

    public func run(plugin: String, environment: [String: String], stdin: Data) async throws -> (status: Int32, stdout: Data, stderr: Data) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: plugin)
                    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                    let input = Pipe(), output = Pipe(), errors = Pipe()
                    process.standardInput = input
                    process.standardOutput = output
                    process.standardError = errors
                    try process.run()
                    input.fileHandleForWriting.write(stdin)
                    try input.fileHandleForWriting.close()
                    let out = output.fileHandleForReading.readDataToEndOfFile()
                    let err = errors.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, out, err))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
