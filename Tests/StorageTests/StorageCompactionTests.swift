import Storage
import Testing

@Suite("Storage contract: compaction", .timeLimit(.minutes(1)))
struct StorageCompactionTests {
    @Test(arguments: BackendKind.allCases)
    func compactionDropsHistoryBelowItAndKeepsEverythingFromIt(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            _ = try await storage.create("/a", value: bytes("a1"))  // 1
            let a2 = try await storage.update("/a", value: bytes("a2"), expectedModRevision: nil)  // 2
            _ = try await storage.create("/b", value: bytes("b1"))  // 3
            _ = try await storage.delete("/b", expectedModRevision: nil)  // 4
            let c1 = try await storage.create("/c", value: bytes("c1"))  // 5
            let a3 = try await storage.update("/a", value: bytes("a3"), expectedModRevision: nil)  // 6

            try await storage.compact(revision: 4)
            #expect(try await storage.compactRevision() == 4)

            await #expect(throws: StorageError.compacted(requested: 3, compactRevision: 4)) {
                try await storage.list(prefix: "/", revision: 3, startAfter: nil, limit: nil)
            }
            await #expect(throws: StorageError.compacted(requested: 3, compactRevision: 4)) {
                try await storage.events(prefix: "/", afterRevision: 3)
            }
            await #expect(throws: StorageError.compacted(requested: 2, compactRevision: 4)) {
                _ = try await collect(storage.watch(prefix: "/", afterRevision: 2), through: .max)
            }

            #expect(try await storage.list(prefix: "/", revision: 4, startAfter: nil, limit: nil).items == [a2])
            #expect(try await storage.list(prefix: "/", revision: 5, startAfter: nil, limit: nil).items == [a2, c1])
            #expect(try await storage.list(prefix: "/", revision: nil, startAfter: nil, limit: nil).items == [a3, c1])
            #expect(try await storage.events(prefix: "/", afterRevision: 4) == [
                StorageEvent(type: .created, kv: c1, prevKV: nil),
                StorageEvent(type: .updated, kv: a3, prevKV: a2),
            ])
            let watched = try await collect(storage.watch(prefix: "/", afterRevision: 4), through: 6)
            #expect(watched.map(\.revision) == [5, 6])

            try await storage.compact(revision: 4)
            await #expect(throws: StorageError.compacted(requested: 3, compactRevision: 4)) {
                try await storage.compact(revision: 3)
            }
            await #expect(throws: StorageError.futureRevision(requested: 7, current: 6)) {
                try await storage.compact(revision: 7)
            }
            try await storage.compact(revision: 6)
            #expect(try await storage.list(prefix: "/", revision: 6, startAfter: nil, limit: nil).items == [a3, c1])
            #expect(try await storage.currentRevision() == 6)
            #expect(try await storage.create("/d", value: []).modRevision == 7)
        }
    }
}
