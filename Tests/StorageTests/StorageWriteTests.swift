import Storage
import Testing

@Suite("Storage contract: writes")
struct StorageWriteTests {
    @Test(arguments: BackendKind.allCases)
    func revisionsStartAtZeroAndIncreaseByOnePerWrite(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            #expect(try await storage.currentRevision() == 0)
            let created = try await storage.create("/a", value: bytes("1"))
            #expect(created == KeyValue(key: "/a", value: bytes("1"), createRevision: 1, modRevision: 1))
            let updated = try await storage.update("/a", value: bytes("2"), expectedModRevision: nil)
            #expect(updated == KeyValue(key: "/a", value: bytes("2"), createRevision: 1, modRevision: 2))
            let deleted = try await storage.delete("/a", expectedModRevision: nil)
            #expect(deleted.modRevision == 3)
            let recreated = try await storage.create("/a", value: bytes("3"))
            #expect(recreated.createRevision == 4)
            #expect(try await storage.currentRevision() == 4)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func createRejectsAnExistingKey(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            _ = try await storage.create("/a", value: bytes("1"))
            await #expect(throws: StorageError.alreadyExists(key: "/a")) {
                try await storage.create("/a", value: bytes("2"))
            }
            #expect(try await storage.get("/a")?.value == bytes("1"))
            #expect(try await storage.currentRevision() == 1)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func updateIsConditionalAndConflictCarriesTheCurrentValue(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            let first = try await storage.create("/a", value: bytes("1"))
            let second = try await storage.update("/a", value: bytes("2"), expectedModRevision: first.modRevision)
            await #expect(throws: StorageError.conflict(key: "/a", current: second)) {
                try await storage.update("/a", value: bytes("3"), expectedModRevision: first.modRevision)
            }
            let third = try await storage.update("/a", value: bytes("3"), expectedModRevision: nil)
            #expect(third.modRevision == 3)
            await #expect(throws: StorageError.notFound(key: "/missing")) {
                try await storage.update("/missing", value: bytes("x"), expectedModRevision: nil)
            }
        }
    }

    @Test(arguments: BackendKind.allCases)
    func deleteIsConditionalAndReturnsTheLastValue(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            _ = try await storage.create("/a", value: bytes("1"))
            let updated = try await storage.update("/a", value: bytes("2"), expectedModRevision: nil)
            await #expect(throws: StorageError.conflict(key: "/a", current: updated)) {
                try await storage.delete("/a", expectedModRevision: 1)
            }
            let deleted = try await storage.delete("/a", expectedModRevision: updated.modRevision)
            #expect(deleted == KeyValue(key: "/a", value: bytes("2"), createRevision: 1, modRevision: 3))
            #expect(try await storage.get("/a") == nil)
            await #expect(throws: StorageError.notFound(key: "/a")) {
                try await storage.delete("/a", expectedModRevision: nil)
            }
        }
    }

    @Test(arguments: BackendKind.allCases)
    func getReturnsTheCurrentValue(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            #expect(try await storage.get("/a") == nil)
            _ = try await storage.create("/a", value: bytes("1"))
            let updated = try await storage.update("/a", value: [], expectedModRevision: nil)
            #expect(try await storage.get("/a") == updated)
            #expect(try await storage.get("/a")?.value == [])
        }
    }

    @Test(arguments: BackendKind.allCases)
    func concurrentCreatesAllSucceedWithDistinctRevisions(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            let revisions = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<64 {
                    group.addTask { try await storage.create("/k/\(index)", value: bytes("\(index)")).modRevision }
                }
                return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
            }
            #expect(revisions == Set(1...64))
            #expect(try await storage.count(prefix: "/k/") == 64)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func aFailingWriteAmongConcurrentOnesFailsOnlyItself(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            let outcomes = await withTaskGroup(of: (String, Result<KeyValue, StorageError>).self) { group in
                for index in 0..<64 {
                    let key = index.isMultiple(of: 2) ? "/dup" : "/k/\(index)"
                    group.addTask {
                        do { return (key, .success(try await storage.create(key, value: bytes(key)))) }
                        catch { return (key, .failure(error as! StorageError)) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let successes = outcomes.compactMap { try? $0.1.get() }
            #expect(successes.count == 33)
            #expect(Set(successes.map(\.modRevision)) == Set(1...33))
            #expect(outcomes.filter { $0.0 == "/dup" }.compactMap { try? $0.1.get() }.count == 1)
            let failures = outcomes.compactMap { outcome -> StorageError? in
                if case .failure(let failure) = outcome.1 { failure } else { nil }
            }
            #expect(failures == Array(repeating: .alreadyExists(key: "/dup"), count: 31))
            let revision = try await storage.currentRevision()
            #expect(revision == 33)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func aClosedBackendRejectsCalls(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            await storage.close()
            await #expect(throws: StorageError.closed) { try await storage.get("/a") }
            await #expect(throws: StorageError.closed) { try await storage.create("/a", value: []) }
        }
    }
}
