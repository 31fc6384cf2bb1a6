@testable import EtcdStore
import Storage
import Testing

@Suite("etcd: one connection for many calls", .timeLimit(.minutes(2)))
struct EtcdConnectionTests {
    @Test func twoThousandSequentialCallsAndWatchesUseOneConnection() async throws {
        try await withBackend(.etcd) { storage in
            let etcd = try #require(storage as? EtcdBackend)
            // Attempts made while etcd was starting count too.
            let opened = etcd.pool.connections.count
            for index in 0..<2000 {
                switch index % 4 {
                case 0: _ = try await storage.create("/calls/\(index)", value: bytes("v"))
                case 1: _ = try await storage.get("/calls/\(index - 1)")
                case 2: _ = try await storage.list(prefix: "/calls/", revision: nil, startAfter: nil, limit: 10)
                default: _ = try await storage.update("/calls/\(index - 3)", value: bytes("w"), expectedModRevision: nil)
                }
            }
            // Watches that end (history reads, watchers going away) must not cost the connection either.
            for _ in 0..<50 {
                _ = try await storage.events(prefix: "/calls/", afterRevision: try await storage.currentRevision() - 1)
            }
            #expect(etcd.pool.connections.count == opened)
        }
    }
}
