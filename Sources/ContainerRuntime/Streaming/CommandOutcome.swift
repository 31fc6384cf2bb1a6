import Foundation

/// How an exec or attach ended, reported on the error stream the way the kubelet's
/// remotecommand server does: a JSON `Status` (v4 and later), or plain text (older protocols).
enum CommandOutcome: Sendable, Equatable {
    case success
    case exited(code: Int32, command: [String])
    case failed(String)

    struct Status: Codable, Equatable {
        struct Cause: Codable, Equatable {
            var reason: String?
            var message: String?
        }
        struct Details: Codable, Equatable {
            var causes: [Cause]
        }
        var metadata: [String: String] = [:]
        var status: String
        var message: String?
        var reason: String?
        var details: Details?
        var code: Int?
    }

    var status: Status {
        switch self {
        case .success:
            return Status(status: "Success")
        case .exited(let code, let command):
            return Status(
                status: "Failure",
                message: "command terminated with non-zero exit code: error executing command [\(command.joined(separator: " "))], exit code \(code)",
                reason: "NonZeroExitCode", details: .init(causes: [.init(reason: "ExitCode", message: "\(code)")]))
        case .failed(let error):
            return Status(status: "Failure", message: "Internal error occurred: \(error)", reason: "InternalError",
                          details: .init(causes: [.init(message: error)]), code: 500)
        }
    }

    /// The error stream's content for `streamProtocol`; nil when nothing is to be sent.
    func errorPayload(for streamProtocol: StreamProtocol) -> [UInt8]? {
        if streamProtocol.reportsStatusJSON {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(status)).map(Array.init)
        }
        guard self != .success else { return nil }
        return Array((status.message ?? "").utf8)
    }
}
