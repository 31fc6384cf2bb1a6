/// Why a container's environment cannot be built; the container then waits with
/// CreateContainerConfigError and this message, until the object appears.
public struct EnvError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public var startFailure: ContainerStartFailure { ContainerStartFailure(.createContainerConfigError, message) }

    static func notFound(_ kind: String, _ name: String) -> EnvError { EnvError(message: "\(kind) \"\(name)\" not found") }
}
