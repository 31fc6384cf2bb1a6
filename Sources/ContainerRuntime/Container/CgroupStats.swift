import Foundation

/// Usage read from a container's cgroup v1 files.
struct CgroupStats: Sendable, Equatable {
    var cpuUsageNanos: UInt64?
    var memoryUsage: UInt64?
    var workingSet: UInt64?
    var rss: UInt64?
    var pageFaults: UInt64?
    var majorPageFaults: UInt64?
    var oomKills: UInt64

    static let root = "/sys/fs/cgroup"

    static func read(cgroupsPath: String, root: String = CgroupStats.root) -> CgroupStats {
        func number(_ file: String) -> UInt64? {
            Files.read(file).flatMap { UInt64(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let memory = "\(root)/memory\(cgroupsPath)"
        let stat = parseKeyValues(Files.read(memory + "/memory.stat").map { String(decoding: $0, as: UTF8.self) } ?? "")
        let usage = number(memory + "/memory.usage_in_bytes")
        let inactive = stat["total_inactive_file"] ?? stat["inactive_file"] ?? 0
        let oom = parseKeyValues(Files.read(memory + "/memory.oom_control").map { String(decoding: $0, as: UTF8.self) } ?? "")
        return CgroupStats(
            cpuUsageNanos: number("\(root)/cpuacct\(cgroupsPath)/cpuacct.usage"),
            memoryUsage: usage,
            workingSet: usage.map { $0 > inactive ? $0 - inactive : 0 },
            rss: stat["total_rss"] ?? stat["rss"],
            pageFaults: stat["total_pgfault"] ?? stat["pgfault"],
            majorPageFaults: stat["total_pgmajfault"] ?? stat["pgmajfault"],
            oomKills: oom["oom_kill"] ?? 0)
    }

    /// `key value` lines, as in memory.stat and memory.oom_control.
    static func parseKeyValues(_ text: String) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = UInt64(parts[1]) { result[String(parts[0])] = value }
        }
        return result
    }
}
