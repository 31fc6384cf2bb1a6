import CRI

extension CgroupStats {
    /// CRI's CpuUsage and MemoryUsage from one cgroup reading (a container's or a pod's).
    func criCPU(at now: Int64) -> Runtime_V1_CpuUsage {
        .with {
            $0.timestamp = now
            if let cpu = cpuUsageNanos { $0.usageCoreNanoSeconds = .with { $0.value = cpu } }
        }
    }

    func criMemory(at now: Int64) -> Runtime_V1_MemoryUsage {
        func value(_ n: UInt64) -> Runtime_V1_UInt64Value { .with { $0.value = n } }
        return .with {
            $0.timestamp = now
            if let workingSet { $0.workingSetBytes = value(workingSet) }
            if let memoryUsage { $0.usageBytes = value(memoryUsage) }
            if let rss { $0.rssBytes = value(rss) }
            if let pageFaults { $0.pageFaults = value(pageFaults) }
            if let majorPageFaults { $0.majorPageFaults = value(majorPageFaults) }
        }
    }
}
