@testable import EtcdStore
import Storage
import Testing

@Suite("etcd leases for keys with a TTL", .timeLimit(.minutes(1)))
struct EtcdLeaseTests {
    @Test func aKeyWithATTLIsDeletedWhenItsLeaseExpiresAndWatchersSeeTheDeletion() async throws {
        try await withBackend(.etcd) { storage in
            #expect(storage.expiresKeys)
            let stream = storage.watch(prefix: "/events/", afterRevision: try await storage.currentRevision())
            let written = try await storage.create("/events/e", value: bytes("v"), ttl: .seconds(2))
            _ = try await storage.create("/pods/p", value: bytes("p"))
            let start = ContinuousClock.now
            var received: [StorageEvent] = []
            for try await event in stream {
                received.append(event)
                if event.type == .deleted { break }
            }
            let waited = ContinuousClock.now - start
            #expect(received.map(\.type) == [.created, .deleted])
            #expect(received.last?.kv.key == "/events/e")
            #expect(received.last?.prevKV == written)
            // etcd's shortest lease is 2 s; expiry is checked every 0.5 s and goes through raft.
            #expect(waited >= .seconds(1) && waited < .seconds(10))
            #expect(try await storage.get("/events/e") == nil)
            #expect(try await storage.get("/pods/p") != nil)
        }
    }

    @Test func writesCloseInTimeShareOneLeaseAndAWriteWithoutTTLDetachesItsKey() async throws {
        try await withBackend(.etcd) { storage in
            let etcd = try #require(storage as? EtcdBackend)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { _ = try await storage.create("/events/\(index)", value: [], ttl: .seconds(3600)) }
                }
                try await group.waitForAll()
            }
            _ = try await storage.update("/events/0", value: bytes("again"), expectedModRevision: nil, ttl: .seconds(3600))
            _ = try await storage.update("/events/1", value: bytes("kept"), expectedModRevision: nil)
            _ = try await storage.create("/pods/p", value: [])
            #expect(await etcd.leaseGrants == 1)
            var leases: Set<Int64> = []
            for index in 0..<20 where index != 1 { leases.insert(try await lease(of: "/events/\(index)", etcd)) }
            #expect(leases.count == 1)
            #expect(!leases.contains(0))
            #expect(try await lease(of: "/events/1", etcd) == 0)
            #expect(try await lease(of: "/pods/p", etcd) == 0)
        }
    }

    @Test func reuseFollowsKubeAPIServersLeaseManager() {
        let t0 = ContinuousClock.now
        var reuse = LeaseReuse()
        // An hour's TTL: granted with a 60 s reuse period (5 % would be 180 s).
        #expect(reuse.decide(ttl: 3600, now: t0) == .grant(ttl: 3660))
        reuse.granted(id: 7, ttl: 3660, requestedAt: t0)
        #expect(reuse.decide(ttl: 3600, now: t0 + .seconds(1)) == .reuse(id: 7))
        #expect(reuse.decide(ttl: 3600, now: t0 + .seconds(59)) == .reuse(id: 7))
        // The lease would expire before a key written now had lived its TTL.
        #expect(reuse.decide(ttl: 3600, now: t0 + .seconds(61)) == .grant(ttl: 3660))
        // A much shorter TTL would outlive itself by far more than the reuse period.
        reuse.granted(id: 8, ttl: 3660, requestedAt: t0)
        #expect(reuse.decide(ttl: 600, now: t0 + .seconds(1)) == .grant(ttl: 630))
        // Below 20 s the period rounds to 0, so every write grants its own lease.
        var short = LeaseReuse()
        #expect(short.decide(ttl: 2, now: t0) == .grant(ttl: 2))
        short.granted(id: 1, ttl: 2, requestedAt: t0)
        #expect(short.decide(ttl: 2, now: t0) == .grant(ttl: 2))
    }

    @Test func aLeaseTakesAtMostMaxAttachedKeysAndAForgottenOneIsNotReused() {
        let t0 = ContinuousClock.now
        var reuse = LeaseReuse()
        reuse.maxAttached = 3
        #expect(reuse.decide(ttl: 3600, now: t0) == .grant(ttl: 3660))
        reuse.granted(id: 1, ttl: 3660, requestedAt: t0)
        let t1 = t0 + .seconds(1)
        #expect(reuse.decide(ttl: 3600, now: t1) == .reuse(id: 1))
        #expect(reuse.decide(ttl: 3600, now: t1) == .reuse(id: 1))
        #expect(reuse.decide(ttl: 3600, now: t1) == .grant(ttl: 3660))
        reuse.granted(id: 2, ttl: 3660, requestedAt: t0)
        reuse.forget(2)
        #expect(reuse.decide(ttl: 3600, now: t1) == .grant(ttl: 3660))
    }

    @Test func ttlsRoundUpToWholeSeconds() {
        #expect(EtcdLeases.wholeSeconds(.seconds(2)) == 2)
        #expect(EtcdLeases.wholeSeconds(.milliseconds(2500)) == 3)
        #expect(EtcdLeases.wholeSeconds(.milliseconds(1)) == 1)
    }

    private func lease(of key: String, _ etcd: EtcdBackend) async throws -> Int64 {
        let response = try await etcd.range(key: etcd.keys.etcdKey(key), rangeEnd: [], revision: 0, limit: 1, countOnly: false)
        return try #require(response.kvs.first).lease
    }
}
