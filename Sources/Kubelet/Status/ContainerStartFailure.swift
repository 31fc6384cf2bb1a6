/// Why a container that should run is waiting, as users see it in `state.waiting.reason`.
public enum WaitingReason: String, Sendable, Equatable {
    case containerCreating = "ContainerCreating"
    case podInitializing = "PodInitializing"
    case errImagePull = "ErrImagePull"
    case imagePullBackOff = "ImagePullBackOff"
    case invalidImageName = "InvalidImageName"
    case errImageNeverPull = "ErrImageNeverPull"
    case crashLoopBackOff = "CrashLoopBackOff"
    case createContainerConfigError = "CreateContainerConfigError"
    case createContainerError = "CreateContainerError"
    case runContainerError = "RunContainerError"
    case createPodSandboxError = "CreatePodSandboxError"
    case preStartHookError = "PreStartHookError"
    case postStartHookError = "PostStartHookError"
}

/// The last reason a container failed to start, kept by the pod worker per container name until
/// the container starts (the kubelet's reasonCache).
public struct ContainerStartFailure: Sendable, Equatable {
    public var reason: WaitingReason
    public var message: String

    public init(_ reason: WaitingReason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}
