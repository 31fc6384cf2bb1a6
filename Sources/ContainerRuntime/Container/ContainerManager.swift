import CRI
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Containers: overlay rootfs, OCI spec, creation under a monitor, and the lifecycle verbs.
struct ContainerManager: Sendable {
    let store: RecordStore<ContainerRecord>
    let monitor: ConmonMonitor
    let directory: String
    let logger: Logger

    struct Placement: Sendable {
        var sandbox: SandboxRecord
        var image: ImageRecord
        var layerPaths: [String]
        var runtimePath: String
        var pidsLimit: Int64 = 0
    }

    func create(_ config: Runtime_V1_ContainerConfig, in placement: Placement) async throws -> String {
        let sandbox = placement.sandbox
        let name = config.metadata.name
        let clash = await store.all().first {
            $0.sandboxID == sandbox.id && $0.config.metadata.name == name && $0.config.metadata.attempt == config.metadata.attempt
        }
        if let clash { throw RuntimeError.alreadyExists("container \(name) attempt \(config.metadata.attempt) exists as \(clash.id)") }
        let id = RandomID.make()
        let bundle = directory + "/" + id
        let rootfs = bundle + "/rootfs"
        for sub in ["rootfs", "upper", "work"] { try Files.mkdir(bundle + "/" + sub) }
        do {
            try Mounts.overlay(lower: placement.layerPaths, upper: bundle + "/upper", work: bundle + "/work", target: rootfs)
            let sandboxConfig = sandbox.config
            let security = config.linux.securityContext
            let user = try ContainerUser.resolve(
                imageUser: placement.image.config.User,
                runAsUser: security.hasRunAsUser ? security.runAsUser.value : nil,
                runAsGroup: security.hasRunAsGroup ? security.runAsGroup.value : nil,
                runAsUsername: security.runAsUsername, supplementalGroups: security.supplementalGroups,
                passwd: (try? String(contentsOfFile: rootfs + "/etc/passwd", encoding: .utf8)) ?? "",
                group: (try? String(contentsOfFile: rootfs + "/etc/group", encoding: .utf8)) ?? "")
            let appArmor = AppArmorHost.probe()
            let appArmorChoice = try AppArmorChoice.decide(try AppArmorChoice.requested(security), privileged: security.privileged,
                                                           enabled: appArmor.enabled, isLoaded: appArmor.isLoaded)
            let cgroupsPath = sandbox.cgroupParent + "/" + id
            let spec = try OCISpecBuilder(
                config: config, image: placement.image.config,
                pod: .init(hostname: PodFiles.hostname(sandboxConfig), netnsPath: sandbox.netnsPath, ipcPath: sandbox.ipcPath,
                           pidPath: sandbox.pidnsPath,
                           hostnameFile: sandbox.directory + "/hostname", hostsFile: sandbox.directory + "/hosts",
                           resolvConfFile: sandbox.directory + "/resolv.conf", sysctls: sandboxConfig.linux.sysctls),
                rootfs: rootfs, cgroupsPath: cgroupsPath, user: user, devices: try ContainerManager.devices(config.devices),
                seccomp: try SeccompChoice.resolve(config.linux.securityContext), pidsLimit: placement.pidsLimit,
                targetPIDPath: await targetPIDNamespace(security.namespaceOptions),
                apparmorProfile: try await appArmor.profileName(appArmorChoice, scratch: bundle)
            ).build()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try Files.writeAtomically(try encoder.encode(spec), to: bundle + "/config.json")
            let logPath = ContainerManager.logPath(config, sandbox: sandboxConfig, bundle: bundle)
            try Files.mkdir((logPath as NSString).deletingLastPathComponent)
            let record = ContainerRecord(
                id: id, sandboxID: sandbox.id, configData: try config.serializedData(), imageID: placement.image.id,
                imageName: config.image.image, createdAt: Timestamp.nanos(), startedAt: nil, exit: nil, startError: nil,
                logPath: logPath, runtimePath: placement.runtimePath, cgroupsPath: cgroupsPath, bundle: bundle, resourcesData: nil)
            try await store.put(id, record)
            _ = try await monitor.create(id: id, name: name, bundle: bundle, runtimePath: placement.runtimePath, logPath: logPath,
                                         stdin: config.stdin, stdinOnce: config.stdinOnce)
        } catch {
            await store.remove(id)
            Mounts.unmount(rootfs)
            Files.remove(bundle)
            throw error
        }
        return id
    }

    func start(_ id: String) async throws {
        let record = try await get(id)
        guard record.startedAt == nil, record.exit == nil else {
            throw RuntimeError.failedPrecondition("container \(id) is not in the created state")
        }
        // Taken before the start: a short-lived process may be done before `runc start` returns.
        let startedAt = Timestamp.nanos()
        do {
            try await runtime(record).start(id)
            try await store.update(id) { $0.startedAt = startedAt }
        } catch {
            try await store.update(id) { $0.startError = "\(error)"; $0.startedAt = startedAt }
            throw error
        }
    }

    /// Sends the stop signal, then SIGKILL once `timeout` has passed.
    func stop(_ id: String, timeout: Duration, signal: String = "TERM") async throws {
        var record = try await observe(try await get(id))
        guard record.exit == nil, record.startedAt != nil, record.startError == nil else { return }
        let runtime = runtime(record)
        if timeout > .zero {
            try await runtime.kill(id, signal: signal)
            if await waitForExit(id, within: timeout) { record = try await observe(record); return }
        }
        try await runtime.kill(id, signal: "KILL")
        _ = await waitForExit(id, within: .seconds(10))
        _ = try await observe(record)
    }

    func remove(_ id: String) async throws {
        guard let record = await store.get(id) else { return }
        if record.startedAt != nil, record.exit == nil, record.startError == nil { try await stop(id, timeout: .zero) }
        try await runtime(record).delete(id)
        Mounts.unmount(record.bundle + "/rootfs")
        Files.remove(record.bundle)
        Files.remove(monitor.exitFile(id))
        Files.remove(monitor.socketDirectory + "/" + id)
        await store.remove(id)
    }

    func get(_ id: String) async throws -> ContainerRecord {
        guard let full = await store.resolve(id), let record = await store.get(full) else {
            throw RuntimeError.notFound("container \(id) not found")
        }
        return record
    }

    /// Records the exit the first time it is seen (reading the OOM counter while the cgroup exists).
    func observe(_ record: ContainerRecord) async throws -> ContainerRecord {
        guard record.exit == nil, let status = monitor.exitStatus(record.id) else { return record }
        let oom = CgroupStats.read(cgroupsPath: record.cgroupsPath).oomKills > 0
        // The exit file's mtime comes from the kernel's coarse clock (a tick, up to several ms,
        // behind the clock startedAt was read from), so a process that exits at once can seem
        // to finish before it started. It cannot have, so the start bounds the finish.
        let finishedAt = max(Timestamp.nanos(status.at), record.startedAt ?? 0)
        let exit = ContainerExit(code: status.code, finishedAt: finishedAt, oomKilled: oom)
        return try await store.update(record.id) { $0.exit = exit } ?? record
    }

    func phase(_ record: ContainerRecord) -> ContainerPhase {
        ContainerPhase.derive(started: record.startedAt != nil, exit: record.exit, startError: record.startError,
                              processAlive: processAlive(record))
    }

    /// The PID namespace of a TARGET container (as containerd does: its init's, while it runs).
    func targetPIDNamespace(_ options: Runtime_V1_NamespaceOption) async -> String? {
        guard options.pid == .target, let full = await store.resolve(options.targetID), let target = await store.get(full),
              let pid = processID(target), kill(pid, 0) == 0 else { return nil }
        return "/proc/\(pid)/ns/pid"
    }

    func processID(_ record: ContainerRecord) -> Int32? {
        guard let data = Files.read(record.bundle + "/pidfile") else { return nil }
        return Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func processAlive(_ record: ContainerRecord) -> Bool {
        guard let data = Files.read(record.bundle + "/pidfile"),
              let pid = Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
        return kill(pid, 0) == 0
    }

    func all() async throws -> [ContainerRecord] {
        var result: [ContainerRecord] = []
        for record in await store.all() { result.append(try await observe(record)) }
        return result
    }

    func execSync(_ id: String, command: [String], timeout: Duration?) async throws -> Command.Result {
        let record = try await get(id)
        guard phase(record).state == .containerRunning else { throw RuntimeError.failedPrecondition("container \(id) is not running") }
        let result = try await runtime(record).exec(id, command, timeout: timeout)
        if result.signaled, result.status == 128 + SIGKILL, timeout != nil {
            throw RuntimeError.deadlineExceeded("command \(command.joined(separator: " ")) timed out after \(timeout!)")
        }
        return result
    }

    func update(_ id: String, resources: Runtime_V1_LinuxContainerResources) async throws {
        let record = try await get(id)
        try await runtime(record).update(id, resources: OCISpecBuilder.resources(resources, privileged: false))
        try await store.update(id) { $0.resourcesData = try? resources.serializedData() }
    }

    func reopenLog(_ id: String) async throws {
        let record = try await get(id)
        guard phase(record).state == .containerRunning else { throw RuntimeError.failedPrecondition("container \(id) is not running") }
        try monitor.reopenLog(bundle: record.bundle)
    }

    func runtime(_ record: ContainerRecord) -> OCIRuntime { OCIRuntime(path: record.runtimePath, root: monitor.runtimeRoot) }

    private func waitForExit(_ id: String, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if monitor.exitStatus(id) != nil { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return monitor.exitStatus(id) != nil
    }

    /// Where the kubelet wants the log (`log_directory/log_path`), else inside the bundle.
    static func logPath(_ config: Runtime_V1_ContainerConfig, sandbox: Runtime_V1_PodSandboxConfig, bundle: String) -> String {
        guard !config.logPath.isEmpty else { return bundle + "/container.log" }
        if config.logPath.hasPrefix("/") { return config.logPath }
        let base = sandbox.logDirectory.isEmpty ? bundle : sandbox.logDirectory
        return base + "/" + config.logPath
    }

    static func devices(_ devices: [Runtime_V1_Device]) throws -> [OCISpec.Device] {
        try devices.map { device in
            var info = stat()
            guard stat(device.hostPath, &info) == 0 else { throw RuntimeError.invalidArgument("device \(device.hostPath): \(String(cString: strerror(errno)))") }
            let kind = (info.st_mode & S_IFMT) == S_IFBLK ? "b" : "c"
            return OCISpec.Device(path: device.containerPath, type: kind, major: Int64((info.st_rdev >> 8) & 0xfff | (info.st_rdev >> 32) & ~0xfff),
                                  minor: Int64(info.st_rdev & 0xff | (info.st_rdev >> 12) & ~0xff), fileMode: info.st_mode & 0o777, uid: 0, gid: 0)
        }
    }
}
