import KubeAPI

/// The parts of a Pod the kubelet acts on, decoded once per sync from the pod JSON.
public struct PodSpecView: Sendable, Equatable {
    public enum RestartPolicy: String, Sendable { case always = "Always", onFailure = "OnFailure", never = "Never" }

    public var name: String
    public var namespace: String
    public var uid: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var isDeleted: Bool
    public var nodeName: String
    public var serviceAccountName: String
    public var hostNetwork: Bool
    public var restartPolicy: RestartPolicy
    public var terminationGracePeriodSeconds: Int64
    public var initContainers: [ContainerSpec]
    public var containers: [ContainerSpec]
    public var volumes: [VolumeSpec]
    /// Condition types that must be True, besides the containers, for the pod to be Ready.
    public var readinessGates: [String]
    public var qosClass: QoSClass

    public init(pod: JSON) {
        let meta = pod["metadata"] ?? [:]
        let spec = pod["spec"] ?? [:]
        name = meta.string("name") ?? ""
        namespace = meta.string("namespace") ?? "default"
        uid = meta.string("uid") ?? ""
        labels = meta.stringMap("labels")
        annotations = meta.stringMap("annotations")
        isDeleted = meta["deletionTimestamp"].map { !$0.isNull } ?? false
        nodeName = spec.string("nodeName") ?? ""
        serviceAccountName = spec.string("serviceAccountName") ?? spec.string("serviceAccount") ?? ""
        hostNetwork = spec.bool("hostNetwork")
        restartPolicy = spec.string("restartPolicy").flatMap(RestartPolicy.init(rawValue:)) ?? .always
        terminationGracePeriodSeconds = spec.int("terminationGracePeriodSeconds") ?? 30
        initContainers = spec.objects("initContainers").map { ContainerSpec(json: $0, kind: .initContainer) }
        containers = spec.objects("containers").map { ContainerSpec(json: $0, kind: .regular) }
        volumes = spec.objects("volumes").map(VolumeSpec.init(json:))
        readinessGates = spec.objects("readinessGates").compactMap { $0.string("conditionType") }
        qosClass = QoSClass.of(spec: spec)
    }

    /// `name_namespace(uid)`, the way the kubelet names a pod in messages (format.Pod upstream).
    public var formatted: String { "\(name)_\(namespace)(\(uid))" }

    /// Whether a failed container is started again (shouldRestartOnFailure upstream).
    var restartsOnFailure: Bool { restartPolicy != .never }

    func container(named name: String) -> ContainerSpec? {
        containers.first { $0.name == name } ?? initContainers.first { $0.name == name }
    }
}
