import CRI

/// What a streaming URL was issued for, kept until the client connects.
enum StreamRequest: Sendable, Equatable {
    case exec(Runtime_V1_ExecRequest)
    case attach(Runtime_V1_AttachRequest)
    case portForward(sandboxID: String, ports: [Int32])

    /// The first path segment of the URL, as the kubelet's streaming library names it.
    var kind: String {
        switch self {
        case .exec: "exec"
        case .attach: "attach"
        case .portForward: "portforward"
        }
    }

    var protocols: [StreamProtocol] {
        switch self {
        case .exec, .attach: StreamProtocol.remoteCommand
        case .portForward: StreamProtocol.portForward
        }
    }

    /// The checks the kubelet's streaming library makes before issuing a URL.
    static func validate(stdin: Bool, stdout: Bool, stderr: Bool, tty: Bool) throws {
        if tty && stderr { throw RuntimeError.invalidArgument("tty and stderr cannot both be true") }
        if !stdin && !stdout && !stderr { throw RuntimeError.invalidArgument("one of stdin, stdout, or stderr must be set") }
    }
}
