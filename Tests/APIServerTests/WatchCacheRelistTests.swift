import KubeAPI
import Logging
import Storage
import Testing
@testable import APIServer

@Suite("Watch cache after its store's history moved past it", .timeLimit(.minutes(1)))
struct WatchCacheRelistTests {
    static let configmaps = ResourceCatalog.lookup(group: "", version: "v1", resource: "configmaps")!
    static let all = WatchFilter(resource: configmaps, namespace: nil, labels: nil, fields: nil)

    static func key(_ name: String) -> String { configmaps.key(namespace: "default", name: name) }

    static func configMap(_ name: String, _ value: String) -> [UInt8] {
        let object: JSON = ["apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": ["name": .string(name), "namespace": "default"], "data": ["v": .string(value)]]
        return object.bytes
    }

    static func added(_ items: [WatchItem]?) -> [String] {
        (items ?? []).compactMap { item in
            if case .event(.added, let object, _) = item { return object.key }
            return nil
        }
    }

    @Test func aCompactedWatchRelistsAtTheCurrentRevisionAndWatchersResumeOrGetExpired() async throws {
        let backend = OutageBackend()
        let cache = WatchCache(backend: backend, logger: Logger(label: "test"))
        let running = Task { try await cache.run() }
        defer { running.cancel() }
        _ = try await backend.create(Self.key("a"), value: Self.configMap("a", "1"))  // 1
        _ = try await backend.create(Self.key("b"), value: Self.configMap("b", "1"))  // 2
        #expect(await cache.wait(for: 2))
        // The load may have listed both writes; the outage must find the cache's watch open.
        while backend.watchesStarted.load(ordering: .relaxed) < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let following = EventQueue()
        _ = try cache.subscribe(Self.all, from: 2, queue: following)

        backend.outage()
        _ = try await backend.update(Self.key("a"), value: Self.configMap("a", "2"), expectedModRevision: nil)  // 3
        _ = try await backend.delete(Self.key("b"), expectedModRevision: nil)  // 4
        try await backend.compact(revision: 4)
        _ = try await backend.create(Self.key("c"), value: Self.configMap("c", "1"))  // 5
        #expect(!(await cache.wait(for: 3, timeout: .milliseconds(200))))
        try await backend.endOutage()

        #expect(await cache.wait(for: 5))
        #expect(cache.get(Self.key("a"), resource: Self.configmaps)?.revision == 3)
        #expect(cache.get(Self.key("b"), resource: Self.configmaps) == nil)
        #expect(cache.get(Self.key("c"), resource: Self.configmaps) != nil)
        #expect(cache.list(Self.all).items.map(\.key) == [Self.key("a"), Self.key("c")])
        // The watcher that followed the old state is ended, as Kubernetes' cacher ends its
        // watchers when it reinitializes, so its client watches again from its resourceVersion.
        #expect(await following.next() == nil)
        #expect(cache.watcherCount == 0)
        // From before the compaction: 410 Expired, the client must list again.
        #expect(throws: StatusError.expired("too old resource version: 2 (4)")) {
            _ = try cache.subscribe(Self.all, from: 2, queue: EventQueue())
        }
        // From within the history still kept: resumes with what it missed, then live events.
        let resumed = EventQueue()
        _ = try cache.subscribe(Self.all, from: 4, queue: resumed)
        #expect(Self.added(resumed.drain()) == [Self.key("c")])
        _ = try await backend.create(Self.key("d"), value: Self.configMap("d", "1"))  // 6
        #expect(await cache.wait(for: 6))
        #expect(Self.added(await resumed.next()) == [Self.key("d")])
        #expect(backend.watchesStarted.load(ordering: .relaxed) == 2)
    }
}
