import KubeAPI

/// A failed call: the server's Status (with its HTTP code), or a response that was not one.
public enum KubeClientError: Error, Sendable, CustomStringConvertible {
    /// The server answered with an error Status.
    case status(code: Int, reason: String, message: String, body: JSON)
    /// The body could not be read as JSON.
    case malformed(code: Int, detail: String)

    public var code: Int {
        switch self {
        case .status(let code, _, _, _), .malformed(let code, _): code
        }
    }

    public var reason: String {
        if case .status(_, let reason, _, _) = self { return reason }
        return ""
    }

    public var isNotFound: Bool { code == 404 }
    public var isConflict: Bool { code == 409 }
    public var isAlreadyExists: Bool { code == 409 && reason == "AlreadyExists" }
    public var isGone: Bool { code == 410 }

    public var description: String {
        switch self {
        case .status(let code, let reason, let message, _): "\(code) \(reason): \(message)"
        case .malformed(let code, let detail): "HTTP \(code): \(detail)"
        }
    }

    static func from(code: Int, body: [UInt8]) -> KubeClientError {
        guard let json = try? JSONParser.parse(body), json["kind"]?.string == "Status" else {
            return .malformed(code: code, detail: String(decoding: body.prefix(300), as: UTF8.self))
        }
        return .status(code: code, reason: json["reason"]?.string ?? "", message: json["message"]?.string ?? "", body: json)
    }
}
