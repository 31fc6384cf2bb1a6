import EtcdStore
import Foundation
import Storage
import Testing

/// The etcd backend's own cost over gRPC, for the gRPC-vs-JSON-gateway decision (bench/etcd_gateway.py
/// makes the same calls through etcd's gateway); off unless SKIFF_STORAGE_BENCH=1.
@Suite("etcd benchmarks", .enabled(if: ProcessInfo.processInfo.environment["SKIFF_STORAGE_BENCH"] == "1"))
struct EtcdBenchmarks {
    @Test func sequentialAndConcurrentCreatesAndGets() async throws {
        try await withBackend(.etcd) { storage in
            let value = [UInt8](repeating: 0x61, count: 1_500)
            let clock = ContinuousClock()
            func ms(_ d: Duration) -> Double { Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000 }
            func report(_ label: String, _ latencies: [Duration], _ elapsed: Duration) {
                let sorted = latencies.sorted()
                print(String(format: "etcd gRPC: %@: %d in %.2f s = %.0f/s, p50 %.3f ms, p99 %.3f ms", label, sorted.count,
                             ms(elapsed) / 1000, Double(sorted.count) / (ms(elapsed) / 1000), ms(sorted[sorted.count / 2]),
                             ms(sorted[sorted.count * 99 / 100])))
            }
            for _ in 0..<50 { _ = try await storage.create("/warm/\(UUID())", value: value) }
            var latencies: [Duration] = []
            var start = clock.now
            for index in 0..<2000 {
                let began = clock.now
                _ = try await storage.create("/seq/\(index)", value: value)
                latencies.append(clock.now - began)
            }
            report("sequential creates (txn)", latencies, clock.now - start)
            latencies = []
            start = clock.now
            for index in 0..<2000 {
                let began = clock.now
                _ = try await storage.get("/seq/\(index)")
                latencies.append(clock.now - began)
            }
            report("sequential gets (linearizable range)", latencies, clock.now - start)
            start = clock.now
            let concurrent = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for client in 0..<16 {
                    group.addTask {
                        var own: [Duration] = []
                        for index in 0..<250 {
                            let began = clock.now
                            _ = try await storage.create("/conc/\(client)/\(index)", value: value)
                            own.append(clock.now - began)
                        }
                        return own
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            report("16 concurrent writers, creates", concurrent, clock.now - start)
            start = clock.now
            let listed = try await storage.list(prefix: "/conc/", revision: nil, startAfter: nil, limit: nil)
            print("etcd gRPC: list of \(listed.items.count) values of 1.5 KB took \(clock.now - start)")
        }
    }
}
