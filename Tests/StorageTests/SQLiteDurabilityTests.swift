import Foundation
import Storage
import Testing

@Suite("SQLite durability", .timeLimit(.minutes(1)))
struct SQLiteDurabilityTests {
    @Test func reopeningKeepsDataRevisionAndHistory() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/skiff.db"
            let first = try SQLiteBackend(path: path)
            _ = try await first.create("/a", value: bytes("a1"))
            _ = try await first.create("/b", value: bytes("b1"))
            _ = try await first.update("/a", value: bytes("a2"), expectedModRevision: 1)
            _ = try await first.delete("/b", expectedModRevision: nil)
            try await first.compact(revision: 2)
            let history = try await first.events(prefix: "/", afterRevision: 2)
            let listed = try await first.list(prefix: "/", revision: nil, startAfter: nil, limit: nil)
            await first.close()

            let second = try SQLiteBackend(path: path)
            #expect(try await second.currentRevision() == 4)
            #expect(try await second.compactRevision() == 2)
            #expect(try await second.events(prefix: "/", afterRevision: 2) == history)
            #expect(try await second.list(prefix: "/", revision: nil, startAfter: nil, limit: nil).items == listed.items)
            #expect(try await second.list(prefix: "/", revision: 2, startAfter: nil, limit: nil).items.map(\.key) == ["/a", "/b"])
            #expect(try await second.create("/c", value: []).modRevision == 5)
            await second.close()
        }
    }

    @Test func theRevisionSurvivesCompactingAwayEveryRow() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/skiff.db"
            let first = try SQLiteBackend(path: path)
            _ = try await first.create("/a", value: [])
            _ = try await first.delete("/a", expectedModRevision: nil)
            try await first.compact(revision: 2)
            await first.close()

            let second = try SQLiteBackend(path: path)
            #expect(try await second.currentRevision() == 2)
            #expect(try await second.create("/a", value: []).modRevision == 3)
            await second.close()
        }
    }

    /// The files as a kill -9 leaves them: acknowledged writes only in the WAL, never checkpointed
    /// into the main file. A copy taken while the first backend is still open stands in for that.
    @Test func acknowledgedWritesSurviveAnUncleanShutdown() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/skiff.db"
            let crashedPath = directory + "/crashed.db"
            let live = try SQLiteBackend(path: path)
            let acknowledged = try await Task.detached {
                try await withThrowingTaskGroup(of: KeyValue.self) { group in
                    for index in 0..<200 {
                        group.addTask { try await live.create("/k/\(index)", value: bytes("value \(index)")) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }.value

            let files = FileManager.default
            let walSize = try files.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
            #expect(walSize > 0)
            try files.copyItem(atPath: path, toPath: crashedPath)
            try files.copyItem(atPath: path + "-wal", toPath: crashedPath + "-wal")

            let recovered = try SQLiteBackend(path: crashedPath)
            #expect(try await recovered.currentRevision() == 200)
            let items = try await recovered.list(prefix: "/k/", revision: nil, startAfter: nil, limit: nil).items
            #expect(Set(items.map(\.modRevision)) == Set(acknowledged.map(\.modRevision)))
            #expect(items.sorted { $0.modRevision < $1.modRevision } == acknowledged.sorted { $0.modRevision < $1.modRevision })
            #expect(try await recovered.events(prefix: "/", afterRevision: 0).count == 200)
            await recovered.close()
            await live.close()
        }
    }
}
