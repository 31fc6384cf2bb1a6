import KubeAPI

/// One container of the pod spec, init or regular, with Kubernetes' defaults applied.
public struct ContainerSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case initContainer, regular }
    public enum PullPolicy: String, Sendable { case always = "Always", ifNotPresent = "IfNotPresent", never = "Never" }

    public var kind: Kind
    public var name: String
    public var image: String
    public var command: [String]
    public var args: [String]
    public var workingDir: String?
    public var env: [EnvVarSpec]
    public var envFrom: [EnvFromSpec]
    public var ports: [ContainerPort]
    public var resources: ResourceRequirements
    public var livenessProbe: ProbeSpec?
    public var readinessProbe: ProbeSpec?
    public var startupProbe: ProbeSpec?
    public var postStart: Handler?
    public var preStop: Handler?
    public var securityContext: SecurityContext?
    public var volumeMounts: [VolumeMount]
    public var imagePullPolicy: PullPolicy
    /// Only `Always` is allowed, and only on init containers: it makes them sidecars.
    public var restartPolicyAlways: Bool
    public var terminationMessagePath: String
    public var terminationMessagePolicy: String
    public var stdin: Bool
    public var tty: Bool

    public init(json c: JSON, kind: Kind) {
        self.kind = kind
        name = c.string("name") ?? ""
        image = c.string("image") ?? ""
        command = c.strings("command")
        args = c.strings("args")
        workingDir = c.string("workingDir")
        env = c.objects("env").map(EnvVarSpec.init(json:))
        envFrom = c.objects("envFrom").compactMap(EnvFromSpec.init(json:))
        ports = c.objects("ports").map(ContainerPort.init(json:))
        resources = ResourceRequirements(json: c["resources"] ?? [:])
        livenessProbe = c["livenessProbe"].flatMap(ProbeSpec.init(json:))
        readinessProbe = c["readinessProbe"].flatMap(ProbeSpec.init(json:))
        startupProbe = c["startupProbe"].flatMap(ProbeSpec.init(json:))
        postStart = c[path: ["lifecycle", "postStart"]].flatMap(Handler.init(json:))
        preStop = c[path: ["lifecycle", "preStop"]].flatMap(Handler.init(json:))
        securityContext = c["securityContext"].flatMap(SecurityContext.init(json:))
        volumeMounts = c.objects("volumeMounts").map(VolumeMount.init(json:))
        imagePullPolicy = c.string("imagePullPolicy").flatMap(PullPolicy.init(rawValue:))
            ?? Self.defaultPullPolicy(for: image)
        restartPolicyAlways = kind == .initContainer && c.string("restartPolicy") == "Always"
        terminationMessagePath = c.string("terminationMessagePath") ?? "/dev/termination-log"
        terminationMessagePolicy = c.string("terminationMessagePolicy") ?? "File"
        stdin = c.bool("stdin")
        tty = c.bool("tty")
    }

    /// A restartable init container: started in init order, then kept running like an app container.
    public var isSidecar: Bool { restartPolicyAlways }

    /// The probe of a kind, if the container declares one.
    public func probe(_ kind: ProbeKind) -> ProbeSpec? {
        switch kind {
        case .liveness: livenessProbe
        case .readiness: readinessProbe
        case .startup: startupProbe
        }
    }

    /// `spec.containers{name}` or `spec.initContainers{name}`: the fieldPath events point at.
    public var fieldPath: String {
        kind == .initContainer ? "spec.initContainers{\(name)}" : "spec.containers{\(name)}"
    }

    /// Identifies the spec a running container was created from. As upstream since 1.31, only the
    /// fields that may change on a running pod (name, image) count; the rest are immutable. FNV-1a
    /// 32-bit over a fixed rendering keeps it stable across kubelet restarts, as it is stored in a label.
    public var hash: UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for byte in JSON.object(JSONObject([("image", .string(image)), ("name", .string(name))])).bytes {
            h = (h ^ UInt32(byte)) &* 0x0100_0193
        }
        return h
    }

    /// Always for `:latest` or an untagged image, else IfNotPresent; a digest counts as a tag.
    static func defaultPullPolicy(for image: String) -> PullPolicy {
        if image.contains("@") { return .ifNotPresent }
        let last = image.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let colon = last.lastIndex(of: ":") else { return .always }
        return last[last.index(after: colon)...] == "latest" ? .always : .ifNotPresent
    }
}
