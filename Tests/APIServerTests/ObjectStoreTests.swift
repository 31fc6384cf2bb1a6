import KubeAPI
import Logging
import Storage
import Testing
@testable import APIServer

/// The REST store on the in-memory backend: the semantics kubectl relies on.
struct ObjectStoreTests {
    static let pods = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!
    static let namespaces = ResourceCatalog.lookup(group: "", version: "v1", resource: "namespaces")!
    static let configmaps = ResourceCatalog.lookup(group: "", version: "v1", resource: "configmaps")!

    func withStore(_ body: (ObjectStore) async throws -> Void) async throws {
        let backend = MemoryBackend()
        let cache = WatchCache(backend: backend, logger: Logger(label: "test"))
        let store = ObjectStore(backend: backend, cache: cache)
        let feeder = Task { try await cache.run() }
        defer { feeder.cancel() }
        _ = await cache.wait(for: 0)
        _ = try await store.create(Self.namespaces, namespace: nil, object: ["metadata": ["name": "default"]], options: RequestOptions())
        try await body(store)
        await backend.close()
    }

    static func pod(_ name: String) -> JSON {
        ["metadata": ["name": .string(name), "labels": ["app": "x"]],
         "spec": ["containers": [["name": "main", "image": "busybox", "resources": ["limits": ["cpu": "1000m"]]]]]]
    }

    @Test func createDefaultsAndCanonicalizes() async throws {
        try await withStore { store in
            let p = try await store.create(Self.pods, namespace: "default", object: Self.pod("a"), options: RequestOptions())
            #expect(p["kind"]?.string == "Pod")
            #expect(p[path: ["metadata", "uid"]]?.string?.count == 36)
            #expect(p[path: ["spec", "restartPolicy"]]?.string == "Always")
            #expect(p[path: ["spec", "containers"]]?.array?.first?[path: ["resources", "limits", "cpu"]]?.string == "1")
            #expect(p[path: ["status", "phase"]]?.string == "Pending")
            let got = try await store.get(Self.pods, namespace: "default", name: "a")
            #expect(got.json[path: ["metadata", "resourceVersion"]] == p[path: ["metadata", "resourceVersion"]])
        }
    }

    @Test func conflictsAndAlreadyExists() async throws {
        try await withStore { store in
            let p = try await store.create(Self.pods, namespace: "default", object: Self.pod("a"), options: RequestOptions())
            await #expect(throws: StatusError.alreadyExists(Self.pods, "a")) {
                _ = try await store.create(Self.pods, namespace: "default", object: Self.pod("a"), options: RequestOptions())
            }
            var newer = p
            newer[path: ["metadata", "labels", "v"]] = "2"
            _ = try await store.update(Self.pods, namespace: "default", name: "a", object: newer, subresource: nil, options: RequestOptions())
            await #expect(throws: StatusError.conflict(Self.pods, "a")) {
                _ = try await store.update(Self.pods, namespace: "default", name: "a", object: newer, subresource: nil, options: RequestOptions())
            }
        }
    }

    @Test func invalidPodReportsEveryCause() async throws {
        try await withStore { store in
            let bad: JSON = ["metadata": ["name": "Bad_Name"], "spec": ["restartPolicy": "Sometimes", "containers": [["name": "main"]]]]
            do {
                _ = try await store.create(Self.pods, namespace: "default", object: bad, options: RequestOptions())
                Issue.record("accepted an invalid pod")
            } catch let e as StatusError {
                #expect(e.code == 422)
                let fields = Set(e.causes.map(\.field))
                #expect(fields.isSuperset(of: ["metadata.name", "spec.restartPolicy", "spec.containers[0].image"]))
            }
            #expect(try await store.backend.count(prefix: "/registry/pods/") == 0)
        }
    }

    @Test func gracefulDeleteOfScheduledPod() async throws {
        try await withStore { store in
            var p = Self.pod("a")
            p[path: ["spec", "nodeName"]] = "n1"
            _ = try await store.create(Self.pods, namespace: "default", object: p, options: RequestOptions())
            let first = try await store.delete(Self.pods, namespace: "default", name: "a", options: DeleteOptions())
            #expect(!first.removed)
            #expect(first.object[path: ["metadata", "deletionGracePeriodSeconds"]]?.int == 30)
            var now = DeleteOptions()
            now.gracePeriodSeconds = 0
            let second = try await store.delete(Self.pods, namespace: "default", name: "a", options: now)
            #expect(second.removed)
            await #expect(throws: StatusError.notFound(Self.pods, "a")) {
                _ = try await store.delete(Self.pods, namespace: "default", name: "a", options: now)
            }
        }
    }

    @Test func strategicPatchMergesContainersByName() async throws {
        try await withStore { store in
            _ = try await store.create(Self.pods, namespace: "default", object: Self.pod("a"), options: RequestOptions())
            let patch: JSON = ["metadata": ["labels": ["app": .null, "tier": "fe"]],
                               "spec": ["containers": [["name": "main", "image": "busybox:2"]]]]
            let out = try await store.patch(Self.pods, namespace: "default", name: "a", type: .strategic, patch: patch,
                                            subresource: nil, options: RequestOptions())
            #expect(out[path: ["metadata", "labels"]] == ["tier": "fe"])
            #expect(out[path: ["spec", "containers"]]?.array?.count == 1)
            #expect(out[path: ["spec", "containers"]]?.array?.first?["image"]?.string == "busybox:2")
        }
    }

    @Test func finalizersHoldDeletion() async throws {
        try await withStore { store in
            let cm: JSON = ["metadata": ["name": "held", "finalizers": ["example.com/hold"]], "data": ["a": "1"]]
            _ = try await store.create(Self.configmaps, namespace: "default", object: cm, options: RequestOptions())
            let d = try await store.delete(Self.configmaps, namespace: "default", name: "held", options: DeleteOptions())
            #expect(!d.removed && d.object[path: ["metadata", "deletionTimestamp"]] != nil)
            _ = try await store.patch(Self.configmaps, namespace: "default", name: "held", type: .merge,
                                      patch: ["metadata": ["finalizers": .null]], subresource: nil, options: RequestOptions())
            #expect(try await store.backend.get("/registry/configmaps/default/held") == nil)
        }
    }

    @Test func watchSeesSelectorTransitions() async throws {
        try await withStore { store in
            _ = try await store.create(Self.pods, namespace: "default", object: Self.pod("a"), options: RequestOptions())
            let q = EventQueue()
            let sel = try LabelSelector(parsing: "app=x")
            let id = try store.cache.subscribe(WatchFilter(resource: Self.pods, namespace: "default", labels: sel, fields: nil), from: nil, queue: q)
            _ = try await store.patch(Self.pods, namespace: "default", name: "a", type: .merge,
                                      patch: ["metadata": ["labels": ["app": "y"]]], subresource: nil, options: RequestOptions())
            // Out of the selection is DELETED, a change outside it is nothing, back into it is ADDED.
            _ = try await store.patch(Self.pods, namespace: "default", name: "a", type: .merge,
                                      patch: ["metadata": ["annotations": ["n": "1"]]], subresource: nil, options: RequestOptions())
            _ = try await store.patch(Self.pods, namespace: "default", name: "a", type: .merge,
                                      patch: ["metadata": ["labels": ["app": "x"]]], subresource: nil, options: RequestOptions())
            var types: [String] = []
            while types.count < 3, let batch = await q.next() {
                for case .event(let t, _, _) in batch { types.append(t.rawValue) }
            }
            #expect(types == ["ADDED", "DELETED", "ADDED"])
            store.cache.unsubscribe(id, resource: Self.pods)
        }
    }
}
