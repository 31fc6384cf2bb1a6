@testable import ContainerRuntime
import Foundation
import CRI
import Testing

@Suite struct OCISpecBuilderTests {
    static func builder(_ configure: (inout Runtime_V1_ContainerConfig) -> Void = { _ in },
                        image: OCIImageConfig.Runtime = .init(Env: ["PATH=/bin", "A=image"], Entrypoint: ["/entry"], Cmd: ["default"])) -> OCISpecBuilder {
        var config = Runtime_V1_ContainerConfig()
        config.metadata.name = "c"
        configure(&config)
        return OCISpecBuilder(
            config: config, image: image,
            pod: .init(hostname: "pod", netnsPath: "/run/ns/net", ipcPath: "/run/ns/ipc", hostnameFile: "/p/hostname",
                       hostsFile: "/p/hosts", resolvConfFile: "/p/resolv.conf", sysctls: [:]),
            rootfs: "/b/rootfs", cgroupsPath: "/skiff/pod/c", user: ContainerUser(uid: 0, gid: 0, additionalGids: []), devices: [])
    }

    @Test(arguments: [
        ([], [], ["/entry", "default"]),
        (["/bin/sh"], [], ["/bin/sh"]),
        ([], ["x", "y"], ["/entry", "x", "y"]),
        (["/bin/sh", "-c"], ["echo hi"], ["/bin/sh", "-c", "echo hi"]),
    ])
    func commandSemantics(command: [String], args: [String], expected: [String]) throws {
        let spec = try Self.builder { $0.command = command; $0.args = args }.build()
        #expect(spec.process.args == expected)
    }

    @Test func noCommandIsAnError() {
        #expect(throws: RuntimeError.self) { try Self.builder(image: .init()).build() }
    }

    @Test func environmentMergesImageThenConfig() throws {
        let spec = try Self.builder { $0.envs = [.with { $0.key = "A"; $0.value = "config" }, .with { $0.key = "B"; $0.value = "2" }] }.build()
        #expect(spec.process.env == ["PATH=/bin", "A=config", "B=2", "HOSTNAME=pod"])
    }

    @Test func resourcesBecomeCgroupLimits() throws {
        let spec = try Self.builder {
            $0.linux.resources.memoryLimitInBytes = 64 << 20
            $0.linux.resources.cpuShares = 512
            $0.linux.resources.cpuQuota = 50_000
            $0.linux.resources.cpuPeriod = 100_000
            $0.linux.resources.oomScoreAdj = -998
        }.build()
        #expect(spec.linux.resources.memory == .init(limit: 64 << 20, swap: nil))
        #expect(spec.linux.resources.cpu == .init(shares: 512, quota: 50_000, period: 100_000))
        #expect(spec.process.oomScoreAdj == nil, "a negative oom_score_adj needs CAP_SYS_RESOURCE")
        #expect(spec.linux.cgroupsPath == "/skiff/pod/c")
    }

    @Test func joinsPodNamespaces() throws {
        let spec = try Self.builder().build()
        #expect(spec.linux.namespaces.contains(.init(type: "network", path: "/run/ns/net")))
        #expect(spec.linux.namespaces.contains(.init(type: "ipc", path: "/run/ns/ipc")))
        let host = try Self.builder { $0.linux.securityContext.namespaceOptions.network = .node }.build()
        #expect(!host.linux.namespaces.contains { $0.type == "network" })
    }

    @Test func securityContext() throws {
        let plain = try Self.builder().build()
        #expect(plain.process.capabilities.bounding == OCISpecBuilder.defaultCapabilities)
        #expect(plain.linux.maskedPaths == OCISpecBuilder.defaultMaskedPaths)
        let tuned = try Self.builder {
            $0.linux.securityContext.capabilities.addCapabilities = ["NET_ADMIN"]
            $0.linux.securityContext.capabilities.dropCapabilities = ["CAP_KILL"]
            $0.linux.securityContext.readonlyRootfs = true
            $0.linux.securityContext.noNewPrivs = true
        }.build()
        #expect(tuned.process.capabilities.effective.contains("CAP_NET_ADMIN"))
        #expect(!tuned.process.capabilities.effective.contains("CAP_KILL"))
        #expect(tuned.root.readonly == true)
        #expect(tuned.process.noNewPrivileges == true)
        let privileged = try Self.builder { $0.linux.securityContext.privileged = true }.build()
        #expect(privileged.process.capabilities.bounding.contains("CAP_SYS_ADMIN"))
        #expect(privileged.linux.maskedPaths == nil)
        #expect(privileged.linux.resources.devices == [.init(allow: true, access: "rwm")])
    }

    @Test func mountsPodFilesAndVolumes() throws {
        let spec = try Self.builder {
            $0.mounts = [.with { $0.containerPath = "/data"; $0.hostPath = "/var/lib/vol"; $0.readonly = true },
                         .with { $0.containerPath = "/etc/hosts"; $0.hostPath = "/custom/hosts" }]
        }.build()
        #expect(spec.mounts.contains(.init(destination: "/data", type: "bind", source: "/var/lib/vol", options: ["rbind", "rprivate", "ro"])))
        #expect(spec.mounts.filter { $0.destination == "/etc/hosts" }.map(\.source) == ["/custom/hosts"])
        #expect(spec.mounts.contains { $0.destination == "/etc/resolv.conf" && $0.source == "/p/resolv.conf" })
    }
}

@Suite struct SeccompTests {
    static func spec(seccomp: SeccompChoice, _ configure: (inout Runtime_V1_ContainerConfig) -> Void = { _ in }) throws -> OCISpec {
        var b = OCISpecBuilderTests.builder(configure)
        b.seccomp = seccomp
        return try b.build()
    }

    static func denied(_ spec: OCISpec) -> Set<String> {
        Set(spec.linux.seccomp?.syscalls?.flatMap(\.names) ?? [])
    }

    @Test func unconfinedAndPrivilegedGetNoFilter() throws {
        #expect(try Self.spec(seccomp: .unconfined).linux.seccomp == nil)
        #expect(try Self.spec(seccomp: .runtimeDefault) { $0.linux.securityContext.privileged = true }.linux.seccomp == nil)
    }

    @Test(arguments: [
        // capability added, syscalls it must let through, syscalls still denied
        ("", [String](), ["mount", "unshare", "setns", "keyctl", "reboot", "init_module", "bpf", "io_uring_setup", "clock_settime"]),
        ("SYS_ADMIN", ["mount", "unshare", "setns", "bpf"], ["keyctl", "reboot", "init_module"]),
        ("SYS_TIME", ["clock_settime", "settimeofday"], ["mount", "keyctl"]),
        ("SYS_MODULE", ["init_module", "finit_module"], ["reboot"]),
        ("SYS_BOOT", ["reboot", "kexec_load"], ["init_module"]),
    ])
    func runtimeDefaultFollowsCapabilities(add: String, allowed: [String], denied: [String]) throws {
        let spec = try Self.spec(seccomp: .runtimeDefault) {
            if !add.isEmpty { $0.linux.securityContext.capabilities.addCapabilities = [add] }
        }
        let profile = try #require(spec.linux.seccomp)
        #expect(profile.defaultAction == "SCMP_ACT_ALLOW")
        #expect(profile.architectures?.first == "SCMP_ARCH_X86_64")
        #expect(profile.syscalls?.allSatisfy { $0.action == "SCMP_ACT_ERRNO" && $0.errnoRet == 1 } == true)
        let blocked = Self.denied(spec)
        for call in allowed { #expect(!blocked.contains(call), "\(call) with \(add)") }
        for call in denied { #expect(blocked.contains(call), "\(call) with \(add)") }
        // Ordinary work is never filtered.
        for call in ["read", "write", "clone", "execve", "socket", "ptrace", "chmod"] { #expect(!blocked.contains(call)) }
    }

    @Test func localhostProfilesInDockerAndOCIForm() throws {
        let docker = #"{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]}],"syscalls":[{"name":"read","action":"SCMP_ACT_ALLOW"},{"names":["write","exit"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]}"#
        let dir = NSTemporaryDirectory() + "seccomp-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try docker.write(toFile: dir + "/docker.json", atomically: true, encoding: .utf8)
        let choice = try SeccompChoice.resolve(.with { $0.seccomp = .with { $0.profileType = .localhost; $0.localhostRef = dir + "/docker.json" } })
        guard case .custom(let profile) = choice else { Issue.record("not custom: \(choice)"); return }
        #expect(profile.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])
        #expect(profile.syscalls?.map(\.names) == [["read"], ["write", "exit"]])
        #expect(profile.syscalls?[1].args?.first == .init(index: 0, value: 1, valueTwo: nil, op: "SCMP_CMP_EQ"))
        // Written back in OCI form (names, architectures), which runc reads.
        let encoded = String(decoding: try JSONEncoder().encode(profile), as: UTF8.self)
        #expect(encoded.contains(#""names":["read"]"#) && !encoded.contains("archMap"))

        #expect(try SeccompChoice.resolve(.init()) == .unconfined)
        #expect(try SeccompChoice.resolve(.with { $0.seccomp = .with { $0.profileType = .unconfined } }) == .unconfined)
        #expect(try SeccompChoice.resolve(.with { $0.seccomp = .init() }) == .runtimeDefault)
        #expect(throws: RuntimeError.self) {
            try SeccompChoice.resolve(.with { $0.seccomp = .with { $0.profileType = .localhost; $0.localhostRef = dir + "/missing.json" } })
        }
        #expect(throws: RuntimeError.self) { try SeccompChoice.resolve(.with { $0.seccomp = .with { $0.profileType = .localhost } }) }
    }

    @Test func pidsLimit() throws {
        var b = OCISpecBuilderTests.builder()
        #expect(try b.build().linux.resources.pids == nil)
        b.pidsLimit = 1024
        #expect(try b.build().linux.resources.pids == OCISpec.Pids(limit: 1024))
    }
}
