import CRI

/// The CRI state and reason of a container, from what was observed of it.
struct ContainerPhase: Equatable, Sendable {
    var state: Runtime_V1_ContainerState
    var reason: String
    var exitCode: Int32

    static func derive(started: Bool, exit: ContainerExit?, startError: String?, processAlive: Bool) -> ContainerPhase {
        if let startError, !startError.isEmpty {
            return ContainerPhase(state: .containerExited, reason: "StartError", exitCode: 128)
        }
        if let exit {
            return ContainerPhase(state: .containerExited, reason: reason(for: exit), exitCode: exit.code)
        }
        guard started else { return ContainerPhase(state: .containerCreated, reason: "", exitCode: 0) }
        return processAlive
            ? ContainerPhase(state: .containerRunning, reason: "", exitCode: 0)
            : ContainerPhase(state: .containerUnknown, reason: "Unknown", exitCode: 0)
    }

    /// Kubernetes' reasons: OOMKilled wins over the code, 0 is Completed, anything else Error.
    static func reason(for exit: ContainerExit) -> String {
        if exit.oomKilled { return "OOMKilled" }
        return exit.code == 0 ? "Completed" : "Error"
    }
}
