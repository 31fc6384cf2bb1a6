import ArgumentParser
import CRI
import Foundation

extension CRICommand {
    /// `skiff cri statsp`: each ready pod sandbox's usage (crictl statsp).
    struct StatsP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "statsp", abstract: "Usage of the pod sandboxes.")
        @OptionGroup var endpoint: Endpoint
        @Option(name: .shortAndLong, help: "Only this sandbox (an id prefix).") var id: String?

        func run() async throws {
            let filter = id
            let stats = try await endpoint.connect { runtime, _ in
                try await runtime.listPodSandboxStats(.with { if let filter { $0.filter.id = filter } }).stats
            }
            func bytes(_ n: UInt64) -> String { ByteCountFormatter.string(fromByteCount: Int64(n), countStyle: .binary) }
            CRICommand.table([["POD", "POD ID", "CPU (ns)", "MEM (working set)", "PROCESSES", "RX", "TX", "CONTAINERS"]] + stats.map { s in
                let l = s.linux, net = s.linux.network.defaultInterface
                return [s.attributes.metadata.name, CRICommand.short(s.attributes.id), "\(l.cpu.usageCoreNanoSeconds.value)",
                        bytes(l.memory.workingSetBytes.value), "\(l.process.processCount.value)",
                        bytes(net.rxBytes.value), bytes(net.txBytes.value), "\(l.containers.count)"]
            })
        }
    }
}
