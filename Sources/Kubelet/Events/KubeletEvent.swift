/// An event the kubelet emits about a pod or one of its containers, worded as Kubernetes words it
/// (pkg/kubelet/events, images, kuberuntime, prober).
public struct KubeletEvent: Sendable, Equatable {
    public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

    public var type: EventType
    public var reason: String
    public var message: String
    /// `spec.containers{main}`; nil for an event about the pod itself.
    public var fieldPath: String?

    public init(_ type: EventType, _ reason: String, _ message: String, fieldPath: String? = nil) {
        self.type = type
        self.reason = reason
        self.message = message
        self.fieldPath = fieldPath
    }
}

extension KubeletEvent {
    // Images.
    public static func pulling(_ c: ContainerSpec) -> Self {
        .init(.normal, "Pulling", "Pulling image \"\(c.image)\"", fieldPath: c.fieldPath)
    }

    /// `pull` is the pull itself, `total` includes waiting for other pulls; both shown to the millisecond.
    public static func pulled(_ c: ContainerSpec, pull: Duration, total: Duration, imageSize: UInt64) -> Self {
        let p = GoDuration.format(GoDuration.truncatedToMilliseconds(pull))
        let t = GoDuration.format(GoDuration.truncatedToMilliseconds(total))
        return .init(.normal, "Pulled", "Successfully pulled image \"\(c.image)\" in \(p) (\(t) including waiting). Image size: \(imageSize) bytes.",
                     fieldPath: c.fieldPath)
    }

    public static func alreadyPresent(_ c: ContainerSpec) -> Self {
        .init(.normal, "Pulled", "Container image \"\(c.image)\" already present on machine", fieldPath: c.fieldPath)
    }

    public static func pullFailed(_ c: ContainerSpec, error: String) -> Self {
        .init(.warning, "Failed", "Failed to pull image \"\(c.image)\": \(error)", fieldPath: c.fieldPath)
    }

    public static func pullBackOff(_ c: ContainerSpec) -> Self {
        .init(.normal, "BackOff", "Back-off pulling image \"\(c.image)\"", fieldPath: c.fieldPath)
    }

    public static func neverPull(_ c: ContainerSpec) -> Self {
        .init(.warning, "ErrImageNeverPull", "Container image \"\(c.image)\" is not present with pull policy of Never", fieldPath: c.fieldPath)
    }

    public static func invalidImageName(_ c: ContainerSpec, error: String) -> Self {
        .init(.warning, "InspectFailed", "Failed to apply default image tag \"\(c.image)\": \(error)", fieldPath: c.fieldPath)
    }

    // Containers.
    /// The generic start failure, e.g. "Error: ErrImagePull" or "Error: configmap \"x\" not found".
    public static func failed(_ c: ContainerSpec, error: String) -> Self {
        .init(.warning, "Failed", "Error: \(error)", fieldPath: c.fieldPath)
    }

    public static func created(_ c: ContainerSpec) -> Self {
        .init(.normal, "Created", "Created container: \(c.name)", fieldPath: c.fieldPath)
    }

    public static func started(_ c: ContainerSpec) -> Self {
        .init(.normal, "Started", "Started container \(c.name)", fieldPath: c.fieldPath)
    }

    /// With the plan's kill message when there is one ("Container main failed liveness probe, will be restarted").
    public static func killing(_ c: ContainerSpec, message: String? = nil) -> Self {
        .init(.normal, "Killing", message ?? "Stopping container \(c.name)", fieldPath: c.fieldPath)
    }

    public static func backOffRestart(_ c: ContainerSpec, pod: PodSpecView) -> Self {
        .init(.warning, "BackOff", "Back-off restarting failed container \(c.name) in pod \(pod.formatted)", fieldPath: c.fieldPath)
    }

    /// The message comes from `ProbeWorker.Action.unhealthy`: "Liveness probe failed: …".
    public static func unhealthy(_ c: ContainerSpec, message: String) -> Self {
        .init(.warning, "Unhealthy", message, fieldPath: c.fieldPath)
    }

    public static func probeWarning(_ c: ContainerSpec, message: String) -> Self {
        .init(.warning, "ProbeWarning", message, fieldPath: c.fieldPath)
    }

    public static func invalidEnvironmentVariableNames(_ c: ContainerSpec, message: String) -> Self {
        .init(.warning, "InvalidEnvironmentVariableNames", message, fieldPath: c.fieldPath)
    }

    // The pod.
    public static let sandboxChanged = Self(.normal, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.")

    public static func failedCreatePodSandbox(error: String) -> Self {
        .init(.warning, "FailedCreatePodSandBox", "Failed to create pod sandbox: \(error)")
    }
}
