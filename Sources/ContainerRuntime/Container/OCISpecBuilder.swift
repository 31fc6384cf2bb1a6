import CRI

/// Builds a container's OCI runtime spec from its CRI config, its image and its pod. Pure:
/// every fact from the filesystem (user, devices) is resolved before and passed in.
struct OCISpecBuilder: Sendable {
    struct Pod: Sendable {
        var hostname: String
        var netnsPath: String?
        var ipcPath: String?
        /// The pod's shared PID namespace (pid POD sandboxes only).
        var pidPath: String? = nil
        var hostnameFile: String
        var hostsFile: String
        var resolvConfFile: String
        var sysctls: [String: String]
    }

    /// containerd's default capability set for unprivileged containers.
    static let defaultCapabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ]

    static let allCapabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    static let defaultMaskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    static let defaultReadonlyPaths = [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ]

    static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    var config: Runtime_V1_ContainerConfig
    var image: OCIImageConfig.Runtime
    var pod: Pod
    var rootfs: String
    var cgroupsPath: String
    var user: ContainerUser
    var devices: [OCISpec.Device]
    var seccomp: SeccompChoice = .unconfined
    /// Most processes in the container's cgroup (pids.max); 0 for no limit.
    var pidsLimit: Int64 = 0
    /// The PID namespace of the TARGET container, when the config names one.
    var targetPIDPath: String? = nil
    /// The AppArmor profile to run under (`AppArmorChoice`, resolved on the host); nil for none.
    var apparmorProfile: String? = nil

    func build() throws -> OCISpec {
        let security = config.linux.securityContext
        let privileged = security.privileged
        return OCISpec(
            process: .init(
                terminal: config.tty, user: .init(uid: user.uid, gid: user.gid, additionalGids: user.additionalGids.isEmpty ? nil : user.additionalGids),
                args: try arguments(), env: environment(), cwd: workingDirectory(),
                capabilities: capabilities(),
                noNewPrivileges: security.noNewPrivs ? true : nil,
                // A negative adjustment needs CAP_SYS_RESOURCE, which this node may lack.
                oomScoreAdj: config.linux.resources.oomScoreAdj > 0 ? Int(config.linux.resources.oomScoreAdj) : nil,
                apparmorProfile: apparmorProfile),
            root: .init(path: rootfs, readonly: security.readonlyRootfs ? true : nil),
            hostname: pod.hostname,
            mounts: mounts(privileged: privileged),
            linux: .init(
                namespaces: try namespaces(),
                cgroupsPath: cgroupsPath,
                resources: OCISpecBuilder.resources(config.linux.resources, privileged: privileged, pidsLimit: pidsLimit),
                devices: devices.isEmpty ? nil : devices,
                maskedPaths: privileged ? nil : (security.maskedPaths.isEmpty ? OCISpecBuilder.defaultMaskedPaths : security.maskedPaths),
                readonlyPaths: privileged ? nil : (security.readonlyPaths.isEmpty ? OCISpecBuilder.defaultReadonlyPaths : security.readonlyPaths),
                sysctl: pod.sysctls.isEmpty ? nil : pod.sysctls,
                seccomp: seccompProfile(privileged: privileged)),
            annotations: config.annotations.isEmpty ? nil : config.annotations)
    }

    /// Kubernetes semantics: `command` replaces the entrypoint (and drops the image's cmd),
    /// `args` replace the cmd.
    func arguments() throws -> [String] {
        let entrypoint = config.command.isEmpty ? (image.Entrypoint ?? []) : config.command
        let cmd = config.args.isEmpty ? (config.command.isEmpty ? (image.Cmd ?? []) : []) : config.args
        let args = entrypoint + cmd
        guard !args.isEmpty else { throw RuntimeError.invalidArgument("container \(config.metadata.name): no command specified") }
        return args
    }

    /// The image's environment, overridden by the config's, plus PATH and HOSTNAME when missing.
    func environment() -> [String] {
        var order: [String] = []
        var values: [String: String] = [:]
        func set(_ key: String, _ value: String) {
            if values[key] == nil { order.append(key) }
            values[key] = value
        }
        for entry in image.Env ?? [] {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            set(parts[0], parts.count > 1 ? parts[1] : "")
        }
        for pair in config.envs { set(pair.key, pair.value) }
        if values["PATH"] == nil { order.insert("PATH", at: 0); values["PATH"] = String(OCISpecBuilder.defaultPath.dropFirst(5)) }
        if values["HOSTNAME"] == nil { set("HOSTNAME", pod.hostname) }
        return order.map { "\($0)=\(values[$0]!)" }
    }

    func workingDirectory() -> String {
        if !config.workingDir.isEmpty { return config.workingDir }
        if let dir = image.WorkingDir, !dir.isEmpty { return dir }
        return "/"
    }

    func capabilities() -> OCISpec.Capabilities {
        let security = config.linux.securityContext
        var set = security.privileged ? OCISpecBuilder.allCapabilities : OCISpecBuilder.defaultCapabilities
        let normalize = { (name: String) in name.uppercased().hasPrefix("CAP_") ? name.uppercased() : "CAP_" + name.uppercased() }
        let adds = security.capabilities.addCapabilities.map(normalize)
        let drops = security.capabilities.dropCapabilities.map(normalize)
        if adds.contains("CAP_ALL") { set = OCISpecBuilder.allCapabilities }
        for cap in adds where cap != "CAP_ALL" && !set.contains(cap) { set.append(cap) }
        set = drops.contains("CAP_ALL") ? [] : set.filter { !drops.contains($0) }
        return .init(bounding: set, effective: set, permitted: set)
    }

    func namespaces() throws -> [OCISpec.Namespace] {
        try ContainerNamespaces(options: config.linux.securityContext.namespaceOptions, netnsPath: pod.netnsPath,
                                ipcPath: pod.ipcPath, podPIDPath: pod.pidPath, targetPIDPath: targetPIDPath).resolve()
    }

    func mounts(privileged: Bool) -> [OCISpec.Mount] {
        let readonlySys = privileged ? "rw" : "ro"
        var result: [OCISpec.Mount] = [
            .init(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            .init(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            .init(destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            .init(destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            .init(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            .init(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", readonlySys]),
            .init(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", readonlySys]),
        ]
        let explicit = Set(config.mounts.map(\.containerPath))
        let podFiles = [("/etc/hostname", pod.hostnameFile), ("/etc/hosts", pod.hostsFile), ("/etc/resolv.conf", pod.resolvConfFile)]
        for (destination, source) in podFiles where !explicit.contains(destination) {
            result.append(.init(destination: destination, type: "bind", source: source,
                                options: ["rbind", "rprivate", config.linux.securityContext.readonlyRootfs ? "ro" : "rw"]))
        }
        for mount in config.mounts.sorted(by: { $0.containerPath.count < $1.containerPath.count }) {
            let propagation = switch mount.propagation {
            case .propagationBidirectional: "rshared"
            case .propagationHostToContainer: "rslave"
            default: "rprivate"
            }
            result.append(.init(destination: mount.containerPath, type: "bind", source: mount.hostPath,
                                options: ["rbind", propagation, mount.readonly ? "ro" : "rw"]))
        }
        return result
    }

    /// Privileged containers run unconfined whatever they ask, as in containerd.
    func seccompProfile(privileged: Bool) -> OCISpec.Seccomp? {
        guard !privileged else { return nil }
        switch seccomp {
        case .unconfined: return nil
        case .runtimeDefault: return RuntimeDefaultSeccomp.profile(capabilities: capabilities().bounding)
        case .custom(let profile): return profile
        }
    }

    static func resources(_ resources: Runtime_V1_LinuxContainerResources, privileged: Bool, pidsLimit: Int64 = 0) -> OCISpec.Resources {
        let memory = resources.memoryLimitInBytes > 0
            ? OCISpec.Memory(limit: resources.memoryLimitInBytes,
                             swap: resources.memorySwapLimitInBytes > 0 ? resources.memorySwapLimitInBytes : nil)
            : nil
        var cpu = OCISpec.CPU()
        if resources.cpuShares > 0 { cpu.shares = UInt64(resources.cpuShares) }
        if resources.cpuQuota > 0 { cpu.quota = resources.cpuQuota }
        if resources.cpuPeriod > 0 { cpu.period = UInt64(resources.cpuPeriod) }
        if !resources.cpusetCpus.isEmpty { cpu.cpus = resources.cpusetCpus }
        if !resources.cpusetMems.isEmpty { cpu.mems = resources.cpusetMems }
        return OCISpec.Resources(
            devices: [.init(allow: privileged, access: "rwm")],
            memory: memory,
            cpu: cpu == OCISpec.CPU() ? nil : cpu,
            pids: pidsLimit > 0 ? OCISpec.Pids(limit: pidsLimit) : nil)
    }
}
