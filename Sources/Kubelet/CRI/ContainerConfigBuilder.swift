import CRI
import KubeAPI

/// The CRI ContainerConfig for one container start (generateContainerConfig upstream). Pure: the
/// environment, mounts and image reference are worked out before.
public struct ContainerConfigBuilder: Sendable {
    public var pod: PodSpecView
    public var spec: JSON
    /// Node memory capacity, for the burstable OOM score.
    public var memoryCapacity: Int64
    /// Where Localhost seccomp profiles live: `<kubelet root>/seccomp`.
    public var seccompProfileRoot: String

    public init(pod: PodSpecView, spec: JSON, memoryCapacity: Int64, seccompProfileRoot: String = "/var/lib/skiff/kubelet/seccomp") {
        self.pod = pod
        self.spec = spec
        self.memoryCapacity = memoryCapacity
        self.seccompProfileRoot = seccompProfileRoot
    }

    public func build(_ c: ContainerSpec, restartCount: Int, imageRef: String, env: EnvResolver.Result,
                      mounts: [Runtime_V1_Mount]) -> Runtime_V1_ContainerConfig {
        .with { cfg in
            cfg.metadata = .with {
                $0.name = c.name
                $0.attempt = UInt32(restartCount)
            }
            cfg.image = .with {
                $0.image = imageRef
                $0.userSpecifiedImage = c.image
            }
            cfg.command = env.command
            cfg.args = env.args
            cfg.workingDir = c.workingDir ?? ""
            cfg.envs = env.env.map { v in .with { $0.key = v.name; $0.value = v.value } }
            cfg.mounts = mounts
            cfg.labels = [
                CRILabels.podName: pod.name, CRILabels.podNamespace: pod.namespace, CRILabels.podUID: pod.uid,
                CRILabels.containerName: c.name,
            ]
            cfg.annotations = [
                CRILabels.containerHash: String(c.hash, radix: 16),
                CRILabels.restartCount: String(restartCount),
                CRILabels.terminationMessagePath: c.terminationMessagePath,
                CRILabels.terminationMessagePolicy: c.terminationMessagePolicy,
                CRILabels.gracePeriod: String(pod.terminationGracePeriodSeconds),
            ]
            cfg.logPath = "\(c.name)/\(restartCount).log"
            cfg.stdin = c.stdin
            cfg.stdinOnce = c.stdin
            cfg.tty = c.tty
            cfg.linux = .with {
                $0.resources = resources(c)
                $0.securityContext = security(c)
            }
        }
    }

    /// Requests and limits as cgroup settings (the kubelet's cpu shares / quota conversions).
    func resources(_ c: ContainerSpec) -> Runtime_V1_LinuxContainerResources {
        .with { r in
            let cpuRequest = c.resources.requests["cpu"]?.milliValue ?? c.resources.limits["cpu"]?.milliValue
            r.cpuShares = max(2, (cpuRequest ?? 0) * 1024 / 1000)
            if cpuRequest == nil { r.cpuShares = 2 }
            if let limit = c.resources.limits["cpu"]?.milliValue, limit > 0 {
                r.cpuPeriod = 100_000
                r.cpuQuota = max(1000, limit * 100_000 / 1000)
            }
            if let memory = c.resources.limits["memory"]?.value, memory > 0 {
                r.memoryLimitInBytes = memory
            }
            r.oomScoreAdj = oomScoreAdj(c)
        }
    }

    /// Kubernetes' QoS OOM policy; never negative, as negative scores are refused here.
    func oomScoreAdj(_ c: ContainerSpec) -> Int64 {
        switch pod.qosClass {
        case .guaranteed: return 0
        case .bestEffort: return 1000
        case .burstable:
            let request = c.resources.requests["memory"]?.value ?? 0
            guard memoryCapacity > 0 else { return 999 }
            let score = 1000 - (1000 * request) / memoryCapacity
            return min(999, max(2, score))
        }
    }

    func security(_ c: ContainerSpec) -> Runtime_V1_LinuxContainerSecurityContext {
        let podContext = spec["securityContext"] ?? [:]
        return .with { s in
            s.namespaceOptions = SandboxConfigBuilder.namespaces(spec)
            let sc = c.securityContext
            if let user = sc?.runAsUser ?? podContext["runAsUser"]?.int { s.runAsUser = .with { $0.value = user } }
            if let group = sc?.runAsGroup ?? podContext["runAsGroup"]?.int { s.runAsGroup = .with { $0.value = group } }
            s.supplementalGroups = podContext["supplementalGroups"]?.array?.compactMap(\.int) ?? []
            s.privileged = sc?.privileged ?? false
            s.readonlyRootfs = sc?.readOnlyRootFilesystem ?? false
            s.noNewPrivs = sc?.allowPrivilegeEscalation == false
            s.seccomp = seccomp(sc, pod: podContext)
            let appArmor = AppArmorProfileMapping.resolve(container: sc?.appArmorProfile, annotations: pod.annotations, containerName: c.name,
                                                          pod: AppArmorProfileMapping(json: podContext["appArmorProfile"]))
            if let (profile, legacy) = appArmor?.cri {
                s.apparmor = profile
                s.apparmorProfile = legacy
            }
            if let sc, !sc.capabilitiesAdd.isEmpty || !sc.capabilitiesDrop.isEmpty {
                s.capabilities = .with {
                    $0.addCapabilities = sc.capabilitiesAdd
                    $0.dropCapabilities = sc.capabilitiesDrop
                }
            }
        }
    }

    /// The container's seccompProfile, else the pod's, else Unconfined (getSeccompProfile
    /// upstream, without the SeccompDefault gate). A Localhost profile names a file under the
    /// kubelet's seccomp directory.
    func seccomp(_ sc: SecurityContext?, pod podContext: JSON) -> Runtime_V1_SecurityProfile {
        let type = sc?.seccompProfileType ?? podContext[path: ["seccompProfile", "type"]]?.string
        let localhost = sc?.seccompProfileType != nil ? sc?.seccompLocalhostProfile
            : podContext[path: ["seccompProfile", "localhostProfile"]]?.string
        return .with {
            switch type {
            case "RuntimeDefault": $0.profileType = .runtimeDefault
            case "Localhost":
                $0.profileType = .localhost
                $0.localhostRef = seccompProfileRoot + "/" + (localhost ?? "")
            default: $0.profileType = .unconfined
            }
        }
    }
}
