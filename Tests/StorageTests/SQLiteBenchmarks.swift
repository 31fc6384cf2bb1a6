import Foundation
import Storage
import Testing

/// Throughput figures for the SQLite backend; slow and machine-dependent, so off unless SKIFF_STORAGE_BENCH=1.
@Suite("SQLite benchmarks", .enabled(if: ProcessInfo.processInfo.environment["SKIFF_STORAGE_BENCH"] == "1"))
struct SQLiteBenchmarks {
    @Test func createsPerSecondWithSixtyFourConcurrentWriters() async throws {
        try await withTemporaryDirectory { directory in
            let storage = try SQLiteBackend(path: directory + "/skiff.db")
            let value = [UInt8](repeating: 0x61, count: 1_500)
            let clients = 64
            let createsEach = 160
            let clock = ContinuousClock()
            let start = clock.now
            let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for client in 0..<clients {
                    group.addTask {
                        var latencies: [Duration] = []
                        for index in 0..<createsEach {
                            let began = clock.now
                            _ = try await storage.create("/registry/pods/ns\(client)/pod-\(index)", value: value)
                            latencies.append(clock.now - began)
                        }
                        return latencies
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }.sorted()
            }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let p99 = latencies[latencies.count * 99 / 100]
            print("SQLite: \(latencies.count) creates by \(clients) clients in \(elapsed): \(Int(Double(latencies.count) / seconds)) creates/s, p50 \(latencies[latencies.count / 2]), p99 \(p99)")

            // The first list warms the reader's page cache; the later ones show the steady state.
            for attempt in 1...3 {
                let listStart = clock.now
                let listed = try await storage.list(prefix: "/registry/pods/", revision: nil, startAfter: nil, limit: nil)
                print("SQLite: list \(attempt) of \(listed.items.count) values of 1.5 KB took \(clock.now - listStart)")
                #expect(listed.items.count == clients * createsEach)
            }
            await storage.close()
        }
    }
}
