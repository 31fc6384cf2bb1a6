import Foundation
import KubeAPI

/// The machine's capacity as the Node reports it: CPUs, memory, the pod limit and the disk that
/// holds the kubelet's root (cAdvisor's MachineInfo, read from /proc and statfs).
public struct MachineInfo: Sendable, Equatable {
    public var cpus: Int
    public var memoryBytes: Int64
    public var ephemeralStorageBytes: Int64
    public var maxPods: Int
    public var bootID: String
    public var machineID: String
    public var kernelVersion: String
    public var osImage: String

    public init(cpus: Int, memoryBytes: Int64, ephemeralStorageBytes: Int64, maxPods: Int, bootID: String = "",
                machineID: String = "", kernelVersion: String = "", osImage: String = "") {
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.ephemeralStorageBytes = ephemeralStorageBytes
        self.maxPods = maxPods
        self.bootID = bootID
        self.machineID = machineID
        self.kernelVersion = kernelVersion
        self.osImage = osImage
    }

    public static func read(rootDirectory: String, maxPods: Int) -> MachineInfo {
        func file(_ p: String) -> String { ((try? String(contentsOfFile: p, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var memory: Int64 = 0
        for line in file("/proc/meminfo").split(separator: "\n") where line.hasPrefix("MemTotal:") {
            memory = (Int64(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        var disk: Int64 = 0
        var dir = rootDirectory
        while !FileManager.default.fileExists(atPath: dir) && dir != "/" { dir = (dir as NSString).deletingLastPathComponent }
        if let size = (try? FileManager.default.attributesOfFileSystem(forPath: dir))?[.systemSize] as? NSNumber {
            disk = size.int64Value
        }
        var os = "Linux"
        for line in file("/etc/os-release").split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            os = String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return MachineInfo(cpus: ProcessInfo.processInfo.activeProcessorCount, memoryBytes: memory, ephemeralStorageBytes: disk,
                           maxPods: maxPods, bootID: file("/proc/sys/kernel/random/boot_id"), machineID: file("/etc/machine-id"),
                           kernelVersion: file("/proc/sys/kernel/osrelease"), osImage: os)
    }

    public var capacity: [String: Quantity] {
        ["cpu": Quantity(Int64(cpus)), "memory": Quantity(memoryBytes, format: .binarySI),
         "ephemeral-storage": Quantity(ephemeralStorageBytes, format: .binarySI), "pods": Quantity(Int64(maxPods))]
    }

    /// Capacity less nothing reserved: this kubelet reserves no system or kube resources.
    public var allocatable: [String: Quantity] { capacity }
}
