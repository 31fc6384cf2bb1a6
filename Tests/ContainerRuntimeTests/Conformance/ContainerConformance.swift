import CRI
import Foundation
import Testing

extension Conformance {
    @Suite struct ContainerConformance {
        @Test(arguments: TestEnvironment.targets)
        func lifecycleAndExitCodes(target: CRITarget) async throws {
            let pod = PodFixture(target, "lifecycle")
            try await pod.run { runtime, _, sandbox, config in
                let created = try await runtime.createContainer(.with {
                    $0.podSandboxID = sandbox
                    $0.config = pod.containerConfig("created", ["sleep", "30"])
                    $0.sandboxConfig = config
                }).containerID
                #expect(try await PodFixture.status(runtime, created).state == .containerCreated)

                let ok = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("ok", ["true"]))
                let failing = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("failing", ["sh", "-c", "exit 3"]))
                let done = try await PodFixture.waitForExit(runtime, ok)
                #expect(done.state == .containerExited)
                #expect(done.exitCode == 0)
                #expect(done.reason == "Completed")
                #expect(done.startedAt >= done.createdAt && done.finishedAt >= done.createdAt)
                if target.isSkiff { #expect(done.finishedAt >= done.startedAt) }
                let failed = try await PodFixture.waitForExit(runtime, failing)
                #expect(failed.exitCode == 3)
                #expect(failed.reason == "Error")

                let sleeper = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("sleeper", ["sleep", "1000"]))
                #expect(try await PodFixture.status(runtime, sleeper).state == .containerRunning)
                let running = try await runtime.listContainers(.with {
                    $0.filter.podSandboxID = sandbox
                    $0.filter.state.state = .containerRunning
                }).containers
                #expect(running.map(\.id) == [sleeper])
                let all = try await runtime.listContainers(.with { $0.filter.podSandboxID = sandbox }).containers
                #expect(Set(all.map(\.id)) == [created, ok, failing, sleeper])

                let clock = ContinuousClock()
                let stopTime = try await clock.measure { _ = try await runtime.stopContainer(.with { $0.containerID = sleeper; $0.timeout = 2 }) }
                let stopped = try await PodFixture.status(runtime, sleeper)
                #expect(stopped.state == .containerExited)
                #expect(stopped.exitCode == 137 || stopped.exitCode == 143)
                #expect(stopTime < .seconds(5))

                for id in [created, ok, failing, sleeper] { _ = try await runtime.removeContainer(.with { $0.containerID = id }) }
                #expect(try await runtime.listContainers(.with { $0.filter.podSandboxID = sandbox }).containers.isEmpty)
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func oomKilled(target: CRITarget) async throws {
            let pod = PodFixture(target, "oom")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("hog", ["sh", "-c", "tail /dev/zero"]) {
                    $0.linux.resources.memoryLimitInBytes = 16 << 20
                })
                let status = try await PodFixture.waitForExit(runtime, id, timeout: .seconds(30))
                #expect(status.state == .containerExited)
                #expect(status.exitCode == 137)
                #expect(status.reason == "OOMKilled")
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func logsInCRIFormat(target: CRITarget) async throws {
            let pod = PodFixture(target, "logs")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("talker", ["sh", "-c", "echo out; echo err >&2"]))
                let status = try await PodFixture.waitForExit(runtime, id)
                #expect(status.logPath == "\(pod.logDirectory)/talker.log")
                let lines = try String(contentsOfFile: status.logPath, encoding: .utf8).split(separator: "\n")
                #expect(lines.contains { $0.hasSuffix(" stdout F out") })
                #expect(lines.contains { $0.hasSuffix(" stderr F err") })
                // <RFC 3339 nano> <stream> <tag> <message>
                #expect(lines.allSatisfy { $0.split(separator: " ").first?.contains("T") == true })
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func reopenLogAfterRotation(target: CRITarget) async throws {
            let pod = PodFixture(target, "rotate")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("ticker", ["sh", "-c", "while true; do echo tick; sleep 0.1; done"]))
                let path = try await PodFixture.status(runtime, id).logPath
                try await Task.sleep(for: .milliseconds(400))
                try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
                _ = try await runtime.reopenContainerLog(.with { $0.containerID = id })
                try await Task.sleep(for: .milliseconds(500))
                let fresh = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                #expect(fresh.contains("stdout F tick"))
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func execSync(target: CRITarget) async throws {
            let pod = PodFixture(target, "exec")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("c", ["sleep", "1000"]) {
                    $0.envs = [.with { $0.key = "GREETING"; $0.value = "hello" }]
                })
                let echo = try await PodFixture.exec(runtime, id, ["sh", "-c", "echo $GREETING; echo oops >&2; exit 4"])
                #expect(echo.output == "hello")
                #expect(String(decoding: echo.stderr, as: UTF8.self) == "oops\n")
                #expect(echo.exitCode == 4)
                let (code, _) = await rpcCode { _ = try await PodFixture.exec(runtime, id, ["sleep", "10"], timeout: 1) }
                #expect(code != nil, "a command over its timeout fails")
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func limitsVisibleInside(target: CRITarget) async throws {
            let pod = PodFixture(target, "limits")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("c", ["sleep", "1000"]) {
                    $0.linux.resources.memoryLimitInBytes = 48 << 20
                    $0.linux.resources.cpuShares = 256
                    $0.linux.resources.cpuQuota = 50_000
                    $0.linux.resources.cpuPeriod = 100_000
                })
                let memory = try await PodFixture.exec(runtime, id, ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]).output
                #expect(memory == "\(48 << 20)")
                let quota = try await PodFixture.exec(runtime, id, ["sh", "-c", "cat /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us"]).output
                #expect(quota == "50000")
                let shares = try await PodFixture.exec(runtime, id, ["sh", "-c", "cat /sys/fs/cgroup/cpu,cpuacct/cpu.shares || cat /sys/fs/cgroup/cpu/cpu.shares"]).output
                #expect(shares == "256")
                _ = try await runtime.updateContainerResources(.with {
                    $0.containerID = id
                    $0.linux = .with { $0.memoryLimitInBytes = 80 << 20; $0.cpuShares = 512 }
                })
                let updated = try await PodFixture.exec(runtime, id, ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]).output
                #expect(updated == "\(80 << 20)")
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func podSandboxStats(target: CRITarget) async throws {
            let pod = PodFixture(target, "sbstats")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig(
                    "busy", ["sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 1000"]))
                try await Task.sleep(for: .seconds(1))
                let one = try await runtime.podSandboxStats(.with { $0.podSandboxID = sandbox }).stats
                #expect(one.attributes.id == sandbox)
                #expect(one.attributes.metadata.name == config.metadata.name)
                #expect(one.linux.cpu.usageCoreNanoSeconds.value > 0)
                #expect(one.linux.memory.workingSetBytes.value > 0)
                #expect(one.linux.containers.map(\.attributes.id) == [id])
                let listed = try await runtime.listPodSandboxStats(.with { $0.filter.id = sandbox }).stats
                #expect(listed.map(\.attributes.id) == [sandbox])
                if target.isSkiff {
                    // Our runtime also counts processes and the pod's traffic on its interface.
                    #expect(one.linux.process.processCount.value >= 1)
                    #expect(one.linux.network.defaultInterface.name == "eth0")
                }
                let none = try await runtime.listPodSandboxStats(.with { $0.filter.labelSelector = ["no": "such"] }).stats
                #expect(none.isEmpty)
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func seccompProfiles(target: CRITarget) async throws {
            let pod = PodFixture(target, "seccomp")
            // A Localhost profile that allows everything but mkdir.
            let profile = TestEnvironment.current!.directory + "/no-mkdir-\(target.name).json"
            try #"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}"#
                .write(toFile: profile, atomically: true, encoding: .utf8)
            try await pod.run { runtime, _, sandbox, config in
                // The exec'd process runs under the container's profile (its pid 1 may be the pod's pause).
                func mode(_ id: String) async throws -> String {
                    try await PodFixture.exec(runtime, id, ["sh", "-c", "grep '^Seccomp:' /proc/self/status | tr -d ' \t'"]).output
                }
                let none = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("none", ["sleep", "1000"]))
                #expect(try await mode(none) == "Seccomp:0")
                let byDefault = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("default", ["sleep", "1000"]) {
                    $0.linux.securityContext.seccomp = .with { $0.profileType = .runtimeDefault }
                })
                #expect(try await mode(byDefault) == "Seccomp:2")
                let local = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("local", ["sleep", "1000"]) {
                    $0.linux.securityContext.seccomp = .with { $0.profileType = .localhost; $0.localhostRef = profile }
                })
                #expect(try await mode(local) == "Seccomp:2")
                let denied = try await PodFixture.exec(runtime, local, ["mkdir", "/tmp/x"])
                #expect(denied.exitCode != 0)
                #expect(String(decoding: denied.stderr, as: UTF8.self).contains("Operation not permitted"))
                let allowed = try await PodFixture.exec(runtime, byDefault, ["mkdir", "/tmp/x"])
                #expect(allowed.exitCode == 0)
            }
        }

        @Test(arguments: TestEnvironment.targets.filter(\.isSkiff))
        func pidsLimitVisibleInside(target: CRITarget) async throws {
            // tests/runtime/env.sh starts our runtime with --pids-limit 1024.
            let pod = PodFixture(target, "pids")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("c", ["sleep", "1000"]))
                let max = try await PodFixture.exec(runtime, id, ["cat", "/sys/fs/cgroup/pids/pids.max"]).output
                #expect(max == "1024")
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func stats(target: CRITarget) async throws {
            let pod = PodFixture(target, "stats")
            try await pod.run { runtime, _, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("busy", ["sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 1000"]))
                try await Task.sleep(for: .seconds(1))
                let stats = try await runtime.containerStats(.with { $0.containerID = id }).stats
                #expect(stats.attributes.id == id)
                #expect(stats.cpu.usageCoreNanoSeconds.value > 0)
                #expect(stats.memory.workingSetBytes.value > 0)
                let listed = try await runtime.listContainerStats(.with { $0.filter.podSandboxID = sandbox }).stats
                #expect(listed.map(\.attributes.id) == [id])
            }
        }
    }
}
