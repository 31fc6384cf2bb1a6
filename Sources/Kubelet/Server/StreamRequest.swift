import CRI
import Foundation
import StreamRelay

/// An exec or attach request to the kubelet (`/exec/{ns}/{pod}/{container}?command=…&stdin=…`),
/// turned into the CRI request the runtime's streaming server answers.
struct StreamRequest: Sendable, Equatable {
    enum Kind: String, Sendable { case exec, attach }

    var kind: Kind
    var namespace: String
    var pod: String
    var container: String
    var command: [String] = []
    var stdin = false
    var stdout = false
    var stderr = false
    var tty = false

    /// nil for a path that is not a stream request.
    init?(target: String) {
        let path = target.prefix { $0 != "?" }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 4, let kind = Kind(rawValue: parts[0]) else { return nil }
        self.kind = kind
        namespace = parts[1]
        pod = parts[2]
        container = parts[3]
        for (key, value) in QueryString.pairs(QueryString.of(target)) {
            let on = value == "true" || value == "1"
            switch key {
            case "command": command.append(value)
            case "input", "stdin": stdin = on
            case "output", "stdout": stdout = on
            case "error", "stderr": stderr = on
            case "tty": tty = on
            default: break
            }
        }
    }

    func exec(containerID: String) -> Runtime_V1_ExecRequest {
        .with {
            $0.containerID = containerID
            $0.cmd = command
            $0.stdin = stdin
            $0.stdout = stdout
            $0.stderr = stderr && !tty
            $0.tty = tty
        }
    }

    func attach(containerID: String) -> Runtime_V1_AttachRequest {
        .with {
            $0.containerID = containerID
            $0.stdin = stdin
            $0.stdout = stdout
            $0.stderr = stderr && !tty
            $0.tty = tty
        }
    }
}
