import Foundation

/// How an exec or attach ended, reported on the error stream the way the kubelet's
/// remotecommand server does: a JSON `Status` (v4 and later), or plain text (older protocols).
enum CommandOutcome: Sendable, Equatable {
    case success
    case exited(code: Int32, command: [String])
    case failed(String)

    /// How the OCI runtime's exec ended.
    enum Exit: Sendable, Equatable {
        case success
        case code(Int32)
        /// runc could not run the command (it exits 255 and logs why).
        case runtimeFailed(String)
    }

    struct Status: Sendable, Equatable {
        struct Cause: Sendable, Equatable {
            var reason: String?
            var message: String?
        }
        struct Details: Sendable, Equatable {
            var causes: [Cause]
        }
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
        if streamProtocol.reportsStatusJSON { return Array(status.json.utf8) }
        guard self != .success else { return nil }
        return Array((status.message ?? "").utf8)
    }
}

extension CommandOutcome.Status {
    /// Fields in the order the kubelet's server writes them (Go's struct order), empty ones left out.
    var json: String {
        var fields = [#""metadata":{}"#, #""status":\#(quote(status))"#]
        if let message { fields.append(#""message":\#(quote(message))"#) }
        if let reason { fields.append(#""reason":\#(quote(reason))"#) }
        if let details {
            let causes = details.causes.map { cause in
                "{" + [cause.reason.map { #""reason":\#(quote($0))"# }, cause.message.map { #""message":\#(quote($0))"# }]
                    .compactMap { $0 }.joined(separator: ",") + "}"
            }
            fields.append(#""details":{"causes":[\#(causes.joined(separator: ","))]}"#)
        }
        if let code { fields.append(#""code":\#(code)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private func quote(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
