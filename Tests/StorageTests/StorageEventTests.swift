import Storage
import Testing

@Suite("Storage contract: events and watch", .timeLimit(.minutes(1)))
struct StorageEventTests {
    @Test(arguments: BackendKind.allCases)
    func eventsAfterARevisionCarryTypesAndPreviousValues(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            let a1 = try await storage.create("/a/x", value: bytes("1"))  // 1
            _ = try await storage.create("/b/x", value: bytes("b"))  // 2
            let a2 = try await storage.update("/a/x", value: bytes("2"), expectedModRevision: nil)  // 3
            let deleted = try await storage.delete("/a/x", expectedModRevision: nil)  // 4

            let events = try await storage.events(prefix: "/a/", afterRevision: 0)
            #expect(events == [
                StorageEvent(type: .created, kv: a1, prevKV: nil),
                StorageEvent(type: .updated, kv: a2, prevKV: a1),
                StorageEvent(type: .deleted, kv: deleted, prevKV: a2),
            ])
            #expect(events.map(\.revision) == [1, 3, 4])
            #expect(try await storage.events(prefix: "/", afterRevision: 2).map(\.revision) == [3, 4])
            #expect(try await storage.events(prefix: "/", afterRevision: 4).isEmpty)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func watchReplaysHistoryThenDeliversLiveEventsWithoutGapsOrDuplicates(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            for index in 0..<10 { _ = try await storage.create("/seed/\(index)", value: []) }
            let stream = storage.watch(prefix: "/", afterRevision: 3)
            let writers = 4
            let writesEach = 25
            let finalRevision = Int64(10 + writers * writesEach)
            async let received = collect(stream, through: finalRevision)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<writesEach {
                            _ = try await storage.create("/live/\(writer)/\(index)", value: bytes("\(index)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await received
            #expect(events.map(\.revision) == Array(4...finalRevision))
            #expect(events.allSatisfy { $0.type == .created })
        }
    }

    @Test(arguments: BackendKind.allCases)
    func watchFiltersByPrefixAndStartsLiveFromTheCurrentRevision(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            _ = try await storage.create("/a/old", value: [])
            let stream = storage.watch(prefix: "/a/", afterRevision: try await storage.currentRevision())
            _ = try await storage.create("/b/x", value: [])
            let wanted = try await storage.create("/a/new", value: bytes("v"))
            let events = try await collect(stream, through: wanted.modRevision)
            #expect(events == [StorageEvent(type: .created, kv: wanted, prevKV: nil)])
        }
    }

    @Test(arguments: BackendKind.allCases)
    func watchFinishesWhenTheBackendCloses(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            let stream = storage.watch(prefix: "/", afterRevision: 0)
            _ = try await storage.create("/a", value: [])
            async let received = collect(stream, through: .max)
            try await Task.sleep(for: .milliseconds(50))
            await storage.close()
            #expect(try await received.map(\.kv.key) == ["/a"])
        }
    }
}
