/// The plan for one sync of one pod: what to kill, whether to (re)create the sandbox, which
/// containers to start. Computed by `computePodActions` without touching the runtime; the pod
/// worker carries it out in order: kill pod or containers, create sandbox, start init containers,
/// start app containers.
public struct PodActions: Sendable, Equatable {
    /// Why a new sandbox is needed.
    public enum SandboxReason: Sendable, Equatable {
        case noSandbox
        case notReady
        case multipleReady
        case networkNamespaceChanged
        case noIP
    }

    /// Why a running container is stopped.
    public enum KillReason: String, Sendable, Equatable {
        case livenessProbe = "LivenessProbe"
        case startupProbe = "StartupProbe"
        case definitionChanged = "DefinitionChanged"
        case unknownState = "Unknown"
    }

    public struct Kill: Sendable, Equatable {
        public var containerID: String
        public var name: String
        public var reason: KillReason
        /// Also the message of the Killing event.
        public var message: String
    }

    /// A container that should start but whose restart is still in CrashLoopBackOff.
    public struct BackingOff: Sendable, Equatable {
        public var name: String
        /// The Waiting message: "back-off 20s restarting failed container=main pod=web_default(uid)".
        public var message: String
        public var delay: Duration
        /// How long until the restart may go ahead.
        public var remaining: Duration = .zero
    }

    /// Stop every container and the sandbox.
    public var killPod = false
    public var createSandbox: SandboxReason?
    /// The current sandbox: to reuse, or to stop when `killPod`.
    public var sandboxID: String?
    /// The attempt number for a new sandbox.
    public var sandboxAttempt: UInt32 = 0
    /// Init containers to start now, in spec order (sidecars stay listed while they need restarts).
    public var initContainersToStart: [String] = []
    public var containersToStart: [String] = []
    public var containersToKill: [Kill] = []
    public var backingOff: [BackingOff] = []

    public init() {}
}
