import ArgumentParser
import CRI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import SwiftProtobuf

/// A crictl-like client for any CRI endpoint (ours or containerd).
struct CRICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cri", abstract: "Inspect any CRI endpoint, like crictl.",
        subcommands: [Version.self, Pods.self, PS.self, Images.self, Pull.self, Inspect.self, InspectP.self,
                      Logs.self, Exec.self, Stats.self, StatsP.self, RM.self, RMP.self, Bench.self])

    struct Endpoint: ParsableArguments {
        @Option(name: [.customLong("runtime-endpoint"), .short], help: "CRI endpoint, unix:///path or a socket path.")
        var runtimeEndpoint = "unix:///run/skiff/cri.sock"

        func connect<T: Sendable>(
            _ body: @Sendable (Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>,
                               Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>) async throws -> T
        ) async throws -> T {
            let path = runtimeEndpoint.hasPrefix("unix://") ? String(runtimeEndpoint.dropFirst("unix://".count)) : runtimeEndpoint
            return try await withGRPCClient(
                transport: try .http2NIOPosix(target: .unixDomainSocket(path: path), transportSecurity: .plaintext)
            ) { client in
                try await body(Runtime_V1_RuntimeService.Client(wrapping: client), Runtime_V1_ImageService.Client(wrapping: client))
            }
        }
    }

    static func table(_ rows: [[String]]) {
        guard let header = rows.first else { return }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { $1.padding(toLength: widths[$0] + 3, withPad: " ", startingAt: 0) }.joined())
        }
    }

    static func short(_ id: String) -> String { String(id.replacingOccurrences(of: "sha256:", with: "").prefix(13)) }

    static func age(_ nanos: Int64) -> String {
        let seconds = Int(Date().timeIntervalSince1970) - Int(nanos / 1_000_000_000)
        return seconds < 120 ? "\(seconds)s" : seconds < 7200 ? "\(seconds / 60)m" : "\(seconds / 3600)h"
    }

    static func json(_ message: some SwiftProtobuf.Message) throws -> String {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = false
        return try message.jsonString(options: options)
    }

    struct Version: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        func run() async throws {
            let reply = try await endpoint.connect { runtime, _ in try await runtime.version(.with { $0.version = "v1" }) }
            print("RuntimeName: \(reply.runtimeName)\nRuntimeVersion: \(reply.runtimeVersion)\nRuntimeApiVersion: \(reply.runtimeApiVersion)")
        }
    }

    struct Pods: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        func run() async throws {
            let items = try await endpoint.connect { runtime, _ in try await runtime.listPodSandbox(.init()).items }
            CRICommand.table([["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT"]] + items.map {
                [CRICommand.short($0.id), CRICommand.age($0.createdAt), $0.state == .sandboxReady ? "Ready" : "NotReady",
                 $0.metadata.name, $0.metadata.namespace, "\($0.metadata.attempt)"]
            })
        }
    }

    struct PS: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        @Flag(name: .shortAndLong, help: "Show all containers, not only running ones.") var all = false
        func run() async throws {
            let all = self.all
            let containers = try await endpoint.connect { runtime, _ in
                try await runtime.listContainers(.with {
                    if !all { $0.filter.state = .with { $0.state = .containerRunning } }
                }).containers
            }
            CRICommand.table([["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID"]] + containers.map {
                [CRICommand.short($0.id), CRICommand.short($0.imageRef), CRICommand.age($0.createdAt),
                 String(describing: $0.state).replacingOccurrences(of: "container", with: ""),
                 $0.metadata.name, "\($0.metadata.attempt)", CRICommand.short($0.podSandboxID)]
            })
        }
    }

    struct Images: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        func run() async throws {
            let images = try await endpoint.connect { _, images in try await images.listImages(.init()).images }
            var rows = [["IMAGE", "TAG", "IMAGE ID", "SIZE"]]
            for image in images {
                let tags = image.repoTags.isEmpty ? ["<none>:<none>"] : image.repoTags
                for tag in tags {
                    let colon = tag.lastIndex(of: ":")!
                    rows.append([String(tag[..<colon]), String(tag[tag.index(after: colon)...]), CRICommand.short(image.id),
                                 ByteCountFormatter.string(fromByteCount: Int64(image.size), countStyle: .binary)])
                }
            }
            CRICommand.table(rows)
        }
    }

    struct Pull: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        @Argument var image: String
        @Option(help: "user:password for the registry.") var creds: String?
        func run() async throws {
            let (image, creds) = (self.image, self.creds)
            let reply = try await endpoint.connect { _, images in
                try await images.pullImage(.with {
                    $0.image.image = image
                    if let creds, let colon = creds.firstIndex(of: ":") {
                        $0.auth.username = String(creds[..<colon])
                        $0.auth.password = String(creds[creds.index(after: colon)...])
                    }
                })
            }
            print("Image is up to date for \(reply.imageRef)")
        }
    }

    struct Inspect: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        @Argument var container: String
        func run() async throws {
            let id = container
            let reply = try await endpoint.connect { runtime, _ in
                try await runtime.containerStatus(.with { $0.containerID = id; $0.verbose = true })
            }
            print(try CRICommand.json(reply))
        }
    }

    struct InspectP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "inspectp")
        @OptionGroup var endpoint: Endpoint
        @Argument var pod: String
        func run() async throws {
            let id = pod
            let reply = try await endpoint.connect { runtime, _ in
                try await runtime.podSandboxStatus(.with { $0.podSandboxID = id; $0.verbose = true })
            }
            print(try CRICommand.json(reply))
        }
    }

    struct Logs: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        @Argument var container: String
        func run() async throws {
            let id = container
            let path = try await endpoint.connect { runtime, _ in
                try await runtime.containerStatus(.with { $0.containerID = id }).status.logPath
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read log \(path)") }
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                // <timestamp> <stream> <P|F> <message>
                let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard fields.count >= 3 else { continue }
                let message = fields.count == 4 ? String(fields[3]) : ""
                let output = fields[1] == "stderr" ? FileHandle.standardError : FileHandle.standardOutput
                output.write(Data((fields[2] == "P" ? message : message + "\n").utf8))
            }
        }
    }

    struct Exec: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        @Option(help: "Timeout in seconds (0: none).") var timeout: Int64 = 0
        @Argument var container: String
        @Argument(parsing: .captureForPassthrough) var command: [String]
        func run() async throws {
            let (id, command, timeout) = (container, self.command.first == "--" ? Array(self.command.dropFirst()) : self.command, self.timeout)
            let reply = try await endpoint.connect { runtime, _ in
                try await runtime.execSync(.with { $0.containerID = id; $0.cmd = command; $0.timeout = timeout })
            }
            FileHandle.standardOutput.write(reply.stdout)
            FileHandle.standardError.write(reply.stderr)
            if reply.exitCode != 0 { throw ExitCode(reply.exitCode) }
        }
    }

    struct Stats: AsyncParsableCommand {
        @OptionGroup var endpoint: Endpoint
        func run() async throws {
            let stats = try await endpoint.connect { runtime, _ in try await runtime.listContainerStats(.init()).stats }
            CRICommand.table([["CONTAINER", "NAME", "CPU (ns)", "MEM (working set)", "DISK"]] + stats.map {
                [CRICommand.short($0.attributes.id), $0.attributes.metadata.name, "\($0.cpu.usageCoreNanoSeconds.value)",
                 ByteCountFormatter.string(fromByteCount: Int64($0.memory.workingSetBytes.value), countStyle: .binary),
                 ByteCountFormatter.string(fromByteCount: Int64($0.writableLayer.usedBytes.value), countStyle: .binary)]
            })
        }
    }

    struct RM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm")
        @OptionGroup var endpoint: Endpoint
        @Flag(name: .shortAndLong, help: "Stop running containers first.") var force = false
        @Argument var containers: [String]
        func run() async throws {
            let (ids, force) = (containers, self.force)
            try await endpoint.connect { runtime, _ in
                for id in ids {
                    if force { _ = try await runtime.stopContainer(.with { $0.containerID = id; $0.timeout = 0 }) }
                    _ = try await runtime.removeContainer(.with { $0.containerID = id })
                    print(id)
                }
            }
        }
    }

    struct RMP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rmp")
        @OptionGroup var endpoint: Endpoint
        @Argument var pods: [String]
        func run() async throws {
            let ids = pods
            try await endpoint.connect { runtime, _ in
                for id in ids {
                    _ = try await runtime.stopPodSandbox(.with { $0.podSandboxID = id })
                    _ = try await runtime.removePodSandbox(.with { $0.podSandboxID = id })
                    print("Removed sandbox \(id)")
                }
            }
        }
    }
}

extension CRICommand {
    /// Times RunPodSandbox, CreateContainer and StartContainer for N pods, one after another,
    /// and prints the milliseconds as JSON. The pods stay (so memory can be measured) until
    /// `--cleanup` removes every pod in the bench namespace.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time pod start-up through CRI (JSON out).")
        @OptionGroup var endpoint: Endpoint
        @Option var pods = 50
        @Option var image = "busybox"
        @Option(help: "cgroup parent for the pods.") var cgroupParent = "/skiff-bench"
        @Option(help: "Directory for container logs.") var logDirectory = "/tmp/skiff-bench-logs"
        @Flag(help: "Remove the bench pods instead of creating them.") var cleanup = false

        static let namespace = "skiff-bench"

        func run() async throws {
            let (count, image, cgroupParent, logDirectory, cleanup) = (pods, self.image, self.cgroupParent, self.logDirectory, self.cleanup)
            let output = try await endpoint.connect { runtime, images -> String in
                if cleanup {
                    for pod in try await runtime.listPodSandbox(.init()).items where pod.metadata.namespace == Bench.namespace {
                        _ = try await runtime.stopPodSandbox(.with { $0.podSandboxID = pod.id })
                        _ = try await runtime.removePodSandbox(.with { $0.podSandboxID = pod.id })
                    }
                    return "{}"
                }
                _ = try await images.pullImage(.with { $0.image.image = image })
                var timings: [String: [Double]] = ["run": [], "create": [], "start": [], "total": []]
                let clock = ContinuousClock()
                let batch = UInt32.random(in: 0...UInt32.max)
                for index in 0..<count {
                    let name = "bench-\(batch)-\(index)"
                    let sandboxConfig = Runtime_V1_PodSandboxConfig.with {
                        $0.metadata = .with { $0.name = name; $0.namespace = Bench.namespace; $0.uid = name }
                        $0.hostname = name
                        $0.logDirectory = "\(logDirectory)/\(name)"
                        $0.linux.cgroupParent = "\(cgroupParent)/\(name)"
                    }
                    let t0 = clock.now
                    let sandbox = try await runtime.runPodSandbox(.with { $0.config = sandboxConfig }).podSandboxID
                    let t1 = clock.now
                    let container = try await runtime.createContainer(.with {
                        $0.podSandboxID = sandbox
                        $0.sandboxConfig = sandboxConfig
                        $0.config = .with {
                            $0.metadata.name = "sleep"
                            $0.image.image = image
                            $0.command = ["sleep", "3600"]
                            $0.logPath = "sleep.log"
                        }
                    }).containerID
                    let t2 = clock.now
                    _ = try await runtime.startContainer(.with { $0.containerID = container })
                    let t3 = clock.now
                    func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
                    timings["run"]!.append(ms(t1 - t0))
                    timings["create"]!.append(ms(t2 - t1))
                    timings["start"]!.append(ms(t3 - t2))
                    timings["total"]!.append(ms(t3 - t0))
                }
                return String(decoding: try JSONSerialization.data(withJSONObject: timings, options: [.sortedKeys]), as: UTF8.self)
            }
            print(output)
        }
    }
}
