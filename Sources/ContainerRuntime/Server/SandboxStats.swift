import CNI
import CRI
import Foundation

/// A pod sandbox's usage for CRI's PodSandboxStats: CPU and memory of the pod's cgroup (which
/// holds all its containers), its process count (pids cgroup), the traffic of its network
/// interface, and the stats of its running containers.
enum SandboxStats {
    static func make(_ sandbox: SandboxRecord, containers: [Runtime_V1_ContainerStats],
                     cgroupRoot: String = CgroupStats.root, netRoot: String = "/sys/class/net") -> Runtime_V1_PodSandboxStats {
        let usage = CgroupStats.read(cgroupsPath: sandbox.cgroupParent, root: cgroupRoot)
        let now = Timestamp.nanos()
        let config = sandbox.config
        func value(_ number: UInt64) -> Runtime_V1_UInt64Value { .with { $0.value = number } }
        let processes = Files.read("\(cgroupRoot)/pids\(sandbox.cgroupParent)/pids.current")
            .flatMap { UInt64(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) }
        return .with {
            $0.attributes = .with {
                $0.id = sandbox.id
                $0.metadata = config.metadata
                $0.labels = config.labels
                $0.annotations = config.annotations
            }
            $0.linux = .with { linux in
                linux.cpu = usage.criCPU(at: now)
                linux.memory = usage.criMemory(at: now)
                if let processes { linux.process = .with { $0.timestamp = now; $0.processCount = value(processes) } }
                if let network = network(sandbox, netRoot: netRoot, now: now) { linux.network = network }
                linux.containers = containers
            }
        }
    }

    /// The pod's eth0 as seen from inside: the counters of its host-side veth (the bridge port
    /// CNI reported), with receive and transmit swapped.
    static func network(_ sandbox: SandboxRecord, netRoot: String, now: Int64) -> Runtime_V1_NetworkUsage? {
        guard let data = sandbox.cniResult, let result = try? JSONDecoder().decode(CNIResult.self, from: data),
              let interfaces = result.interfaces else { return nil }
        let podSide = interfaces.first { !($0.sandbox ?? "").isEmpty }?.name ?? "eth0"
        guard let host = interfaces.first(where: { ($0.sandbox ?? "").isEmpty && Files.exists("\(netRoot)/\($0.name)/brport") }) else {
            return nil
        }
        func counter(_ name: String) -> Runtime_V1_UInt64Value {
            let text = Files.read("\(netRoot)/\(host.name)/statistics/\(name)").map { String(decoding: $0, as: UTF8.self) } ?? ""
            return .with { $0.value = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
        }
        return .with {
            $0.timestamp = now
            $0.defaultInterface = .with {
                $0.name = podSide
                $0.rxBytes = counter("tx_bytes")
                $0.rxErrors = counter("tx_errors")
                $0.txBytes = counter("rx_bytes")
                $0.txErrors = counter("rx_errors")
            }
        }
    }
}
