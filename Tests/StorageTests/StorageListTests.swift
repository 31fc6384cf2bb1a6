import Storage
import Testing

@Suite("Storage contract: list and count")
struct StorageListTests {
    @Test(arguments: BackendKind.allCases)
    func listPagesByPrefixWithLimitAndStartAfter(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            for name in ["c", "a", "e", "b", "d"] {
                _ = try await storage.create("/registry/pods/default/\(name)", value: bytes(name))
            }
            for key in ["/registry/pods/other/x", "/registry/podsx", "/registry/services/default/s"] {
                _ = try await storage.create(key, value: [])
            }
            let prefix = "/registry/pods/default/"
            let first = try await storage.list(prefix: prefix, revision: nil, startAfter: nil, limit: 2)
            #expect(first.items.map(\.key) == [prefix + "a", prefix + "b"])
            #expect(first.more)
            #expect(first.revision == 8)

            // A write between pages must not show up in later pages read at the first page's revision.
            _ = try await storage.create(prefix + "bb", value: [])
            let second = try await storage.list(
                prefix: prefix, revision: first.revision, startAfter: first.items.last?.key, limit: 2)
            #expect(second.items.map(\.key) == [prefix + "c", prefix + "d"])
            #expect(second.more)
            #expect(second.revision == first.revision)
            let third = try await storage.list(
                prefix: prefix, revision: first.revision, startAfter: second.items.last?.key, limit: 2)
            #expect(third.items.map(\.key) == [prefix + "e"])
            #expect(!third.more)

            let all = try await storage.list(prefix: prefix, revision: nil, startAfter: nil, limit: nil)
            #expect(all.items.map(\.key) == ["a", "b", "bb", "c", "d", "e"].map { prefix + $0 })
            #expect(!all.more)
            #expect(all.revision == 9)
            let exact = try await storage.list(prefix: prefix, revision: 0, startAfter: prefix + "d", limit: 1)
            #expect(exact.items.map(\.key) == [prefix + "e"])
            #expect(!exact.more)
            let everything = try await storage.list(prefix: "", revision: nil, startAfter: nil, limit: 0)
            #expect(everything.items.count == 9)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func keysAreOrderedAndDistinguishedByTheirUTF8Bytes(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            let composed = "/u/\u{E9}"
            let decomposed = "/u/e\u{301}"
            for key in [composed, "/u/z", decomposed] { _ = try await storage.create(key, value: bytes(key)) }
            let listed = try await storage.list(prefix: "/u/", revision: nil, startAfter: nil, limit: nil)
            #expect(listed.items.map { Array($0.key.utf8) } == [decomposed, "/u/z", composed].map { Array($0.utf8) })
            #expect(try await storage.get(decomposed)?.value == bytes(decomposed))
        }
    }

    @Test(arguments: BackendKind.allCases)
    func listAtAnOlderRevisionSeesTheStateThen(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            _ = try await storage.create("/a", value: bytes("a1"))  // 1
            _ = try await storage.create("/b", value: bytes("b1"))  // 2
            _ = try await storage.update("/a", value: bytes("a2"), expectedModRevision: nil)  // 3
            _ = try await storage.delete("/b", expectedModRevision: nil)  // 4
            _ = try await storage.create("/c", value: bytes("c1"))  // 5

            let atTwo = try await storage.list(prefix: "/", revision: 2, startAfter: nil, limit: nil)
            #expect(atTwo.items == [
                KeyValue(key: "/a", value: bytes("a1"), createRevision: 1, modRevision: 1),
                KeyValue(key: "/b", value: bytes("b1"), createRevision: 2, modRevision: 2),
            ])
            #expect(atTwo.revision == 2)
            let atFour = try await storage.list(prefix: "/", revision: 4, startAfter: nil, limit: nil)
            #expect(atFour.items == [KeyValue(key: "/a", value: bytes("a2"), createRevision: 1, modRevision: 3)])
            let pagedAtTwo = try await storage.list(prefix: "/", revision: 2, startAfter: nil, limit: 1)
            #expect(pagedAtTwo.items.map(\.key) == ["/a"])
            #expect(pagedAtTwo.more)
            let secondPage = try await storage.list(prefix: "/", revision: 2, startAfter: "/a", limit: 1)
            #expect(secondPage.items.map(\.key) == ["/b"])
            #expect(!secondPage.more)
            let now = try await storage.list(prefix: "/", revision: nil, startAfter: nil, limit: nil)
            #expect(now.items.map(\.key) == ["/a", "/c"])
            #expect(now.revision == 5)
            await #expect(throws: StorageError.futureRevision(requested: 6, current: 5)) {
                try await storage.list(prefix: "/", revision: 6, startAfter: nil, limit: nil)
            }
        }
    }

    @Test(arguments: BackendKind.allCases)
    func countCountsCurrentKeysUnderThePrefix(kind: BackendKind) async throws {
        try await withBackend(kind) { storage in
            #expect(try await storage.count(prefix: "/") == 0)
            for key in ["/a/1", "/a/2", "/a/3", "/ab", "/b/1"] { _ = try await storage.create(key, value: []) }
            _ = try await storage.delete("/a/2", expectedModRevision: nil)
            #expect(try await storage.count(prefix: "/a/") == 2)
            #expect(try await storage.count(prefix: "/a") == 3)
            #expect(try await storage.count(prefix: "") == 4)
        }
    }
}
