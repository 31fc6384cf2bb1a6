import Foundation
import GRPCCore
import Logging
import Storage
import Synchronization

/// The storage contract on a real etcd cluster, over etcd's v3 gRPC API.
///
/// Several API servers can share one etcd: every read is linearizable, every conditional write is
/// an etcd transaction comparing `mod_revision` (or `create_revision == 0` for a create), and
/// watches are etcd watches, so each server sees every other server's writes.
public final class EtcdBackend: StorageBackend {
    let pool: EtcdClientPool
    let keys: EtcdKeySpace
    let logger: Logger
    /// The highest compact revision seen (storage numbering): compaction only moves forward, so
    /// finding the current one starts here.
    let knownCompactRevision = Atomic<Int64>(0)
    let watches = Mutex(WatchRegistry())
    let leases: EtcdLeases

    public init(configuration: EtcdConfiguration, logger: Logger = Logger(label: "skiff.etcd")) throws {
        let pool = try EtcdClientPool(configuration, logger: logger)
        self.pool = pool
        keys = EtcdKeySpace(keyPrefix: configuration.keyPrefix, storageRoot: configuration.storageRoot)
        self.logger = logger
        leases = EtcdLeases { ttl in try await Self.grantLease(ttl: ttl, pool) }
    }

    /// Keys written with a TTL are attached to an etcd lease, which deletes them when it expires.
    public var expiresKeys: Bool { true }

    /// Waits until some member answers, for at most `timeout`.
    public func waitUntilReachable(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                _ = try await currentRevision()
                return
            } catch {
                if ContinuousClock.now >= deadline { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The revision of the latest write to this cluster's keys (see `EtcdKeySpace.revisionKey`);
    /// before the first one, etcd's own revision.
    public func currentRevision() async throws -> Int64 {
        let response = try await range(key: keys.revisionKey, rangeEnd: [], revision: 0, limit: 1, countOnly: false)
        return EtcdKeySpace.storageRevision(response.kvs.first?.modRevision ?? response.header.revision)
    }

    /// etcd's revision, which other clusters sharing the etcd move too.
    func etcdRevision() async throws -> Int64 {
        let response = try await range(key: keys.revisionKey, rangeEnd: [], revision: 0, limit: 1, countOnly: true)
        return EtcdKeySpace.storageRevision(response.header.revision)
    }

    public func get(_ key: String) async throws -> KeyValue? {
        let response = try await range(key: keys.etcdKey(key), rangeEnd: [], revision: 0, limit: 1, countOnly: false)
        return try response.kvs.first.map(storageKeyValue)
    }

    public func list(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws -> ListResult {
        let (prefixKey, end) = keys.range(prefix: prefix)
        var start = prefixKey
        if let startAfter, !Array(startAfter.utf8).lexicographicallyPrecedes(Array(prefix.utf8)) {
            start = keys.etcdKey(startAfter) + [0]
        }
        let requested = revision ?? 0
        let response = try await range(key: start, rangeEnd: end, revision: requested, limit: Int64(limit ?? 0), countOnly: false)
        let at = requested > 0 ? requested : EtcdKeySpace.storageRevision(response.header.revision)
        return ListResult(items: try response.kvs.map(storageKeyValue), revision: at, more: response.more)
    }

    public func count(prefix: String) async throws -> Int {
        let (key, end) = keys.range(prefix: prefix)
        return Int(try await range(key: key, rangeEnd: end, revision: 0, limit: 0, countOnly: true).count)
    }

    public func create(_ key: String, value: [UInt8], ttl: Duration?) async throws -> KeyValue {
        try await withLease(ttl) { lease in try await self.create(key, value: value, lease: lease) }
    }

    private func create(_ key: String, value: [UInt8], lease: Int64) async throws -> KeyValue {
        let etcdKey = keys.etcdKey(key)
        var txn = Etcdserverpb_TxnRequest()
        txn.compare = [.init(key: etcdKey, target: .create, createRevision: 0)]
        txn.success = [.put(etcdKey, value, prevKV: false, lease: lease), .put(keys.revisionKey, [], prevKV: false)]
        txn.failure = [.get(etcdKey)]
        let (response, retries) = try await self.txn(txn)
        guard response.succeeded else {
            // An earlier attempt whose answer was lost may have been the one that created the key.
            if retries > 0, case .responseRange(let range)? = response.responses.first?.response,
               let existing = range.kvs.first, Array(existing.value) == value {
                return try storageKeyValue(existing)
            }
            throw StorageError.alreadyExists(key: key)
        }
        let revision = EtcdKeySpace.storageRevision(response.header.revision)
        return KeyValue(key: key, value: value, createRevision: revision, modRevision: revision)
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64?, ttl: Duration?) async throws -> KeyValue {
        try await withLease(ttl) { lease in
            try await self.update(key, value: value, expectedModRevision: expectedModRevision, lease: lease)
        }
    }

    private func update(_ key: String, value: [UInt8], expectedModRevision: Int64?, lease: Int64) async throws -> KeyValue {
        let etcdKey = keys.etcdKey(key)
        let response: Etcdserverpb_TxnResponse
        do {
            response = try await conditional(key, etcdKey, expectedModRevision,
                                             then: .put(etcdKey, value, prevKV: true, lease: lease))
        } catch let applied as AppliedEarlier {
            return applied.kv
        }
        guard case .responsePut(let put)? = response.responses.first?.response, put.hasPrevKv else {
            throw StorageError.io("etcd: a put in a transaction returned no previous value")
        }
        return KeyValue(key: key, value: value, createRevision: EtcdKeySpace.storageRevision(put.prevKv.createRevision),
                        modRevision: EtcdKeySpace.storageRevision(response.header.revision))
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> KeyValue {
        let etcdKey = keys.etcdKey(key)
        let response = try await conditional(key, etcdKey, expectedModRevision, then: .delete(etcdKey))
        guard case .responseDeleteRange(let deleted)? = response.responses.first?.response, let previous = deleted.prevKvs.first else {
            // Deleted by someone else between the compare and the delete cannot happen in one
            // transaction; an empty answer means the key was gone.
            throw StorageError.notFound(key: key)
        }
        var kv = try storageKeyValue(previous)
        kv.modRevision = EtcdKeySpace.storageRevision(response.header.revision)
        return kv
    }

    public func compact(revision: Int64) async throws {
        var request = Etcdserverpb_CompactionRequest()
        request.revision = EtcdKeySpace.etcdRevision(revision)
        do {
            _ = try await pool.call { member in
                try await member.kv.compact(request, options: self.pool.options)
            }
            raiseKnownCompactRevision(revision)
        } catch let error as RPCError {
            switch EtcdError(error) {
            case .compacted:
                let current = try await compactRevision()
                if current != revision { throw StorageError.compacted(requested: revision, compactRevision: current) }
            case .futureRevision:
                throw StorageError.futureRevision(requested: revision, current: try await currentRevision())
            case .leaseNotFound, .other:
                throw StorageError.io("etcd: \(error.message)")
            }
        }
    }

    /// etcd does not report its compact revision, but a read below it fails: the compact revision
    /// is the oldest readable revision, found from the last one known (compaction only moves up),
    /// usually with a single read. Correct whichever API server compacted.
    public func compactRevision() async throws -> Int64 {
        var low = knownCompactRevision.load(ordering: .relaxed)
        if try await readable(low) { return low }
        var high = try await etcdRevision()
        low += 1
        while low < high {
            let middle = low + (high - low) / 2
            if try await readable(middle) { high = middle } else { low = middle + 1 }
        }
        raiseKnownCompactRevision(low)
        return low
    }

    /// Ends every watch, after giving each a moment to deliver the writes acknowledged before the
    /// close (etcd delivers them asynchronously, the in-process backends at commit); later calls
    /// throw `.closed`.
    public func close() async {
        let open = watches.withLock { $0.close() }
        if !open.isEmpty, let target = try? await currentRevision() {
            let deadline = ContinuousClock.now + .milliseconds(500)
            while ContinuousClock.now < deadline, open.contains(where: { $0.cursor.value < target }) {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        for watch in open { watch.finish() }
        pool.close()
    }

    // MARK: - Pieces

    func raiseKnownCompactRevision(_ revision: Int64) {
        var known = knownCompactRevision.load(ordering: .relaxed)
        while revision > known {
            let (exchanged, original) = knownCompactRevision.compareExchange(expected: known, desired: revision, ordering: .relaxed)
            if exchanged { return }
            known = original
        }
    }

    /// True when storage revision `revision` can still be read (it is at or above the compact revision).
    func readable(_ revision: Int64) async throws -> Bool {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data(keys.keyPrefix)
        request.revision = EtcdKeySpace.etcdRevision(revision)
        request.countOnly = true
        request.limit = 1
        do {
            _ = try await pool.call { member in try await member.kv.range(request, options: self.pool.options) }
            return true
        } catch let error as RPCError {
            switch EtcdError(error) {
            case .compacted: return false
            case .futureRevision: return true
            case .leaseNotFound, .other: throw StorageError.io("etcd: \(error.message)")
            }
        }
    }

    func range(key: [UInt8], rangeEnd: [UInt8], revision: Int64, limit: Int64, countOnly: Bool) async throws -> Etcdserverpb_RangeResponse {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data(key)
        request.rangeEnd = Data(rangeEnd)
        request.limit = limit
        request.countOnly = countOnly
        if revision > 0 { request.revision = EtcdKeySpace.etcdRevision(revision) }
        do {
            return try await pool.call { member in try await member.kv.range(request, options: self.pool.options) }
        } catch let error as RPCError {
            switch EtcdError(error) {
            case .compacted:
                throw StorageError.compacted(requested: revision, compactRevision: try await compactRevision())
            case .futureRevision:
                throw StorageError.futureRevision(requested: revision, current: try await currentRevision())
            case .leaseNotFound, .other:
                throw StorageError.io("etcd: \(error.code): \(error.message)")
            }
        }
    }

    /// A transaction, and how many attempts failed before it was answered.
    func txn(_ request: Etcdserverpb_TxnRequest) async throws -> (Etcdserverpb_TxnResponse, Int) {
        do {
            return try await pool.callCountingRetries { member in try await member.kv.txn(request, options: self.pool.options) }
        } catch let error as RPCError {
            if case .leaseNotFound = EtcdError(error) { throw LeaseNotFound() }
            throw StorageError.io("etcd: \(error.code): \(error.message)")
        }
    }

    /// An update or delete of an existing key, at `expectedModRevision` when given; on failure
    /// the transaction reads the key so the error can say whether it was missing or changed.
    private func conditional(_ key: String, _ etcdKey: [UInt8], _ expectedModRevision: Int64?,
                             then operation: Etcdserverpb_RequestOp) async throws -> Etcdserverpb_TxnResponse {
        var txn = Etcdserverpb_TxnRequest()
        if let expectedModRevision {
            txn.compare = [.init(key: etcdKey, target: .mod, modRevision: EtcdKeySpace.etcdRevision(expectedModRevision))]
        } else {
            txn.compare = [.init(key: etcdKey, existing: true)]
        }
        txn.success = [operation, .put(keys.revisionKey, [], prevKV: false)]
        txn.failure = [.get(etcdKey)]
        let (response, retries) = try await self.txn(txn)
        if response.succeeded { return response }
        guard case .responseRange(let range)? = response.responses.first?.response, let current = range.kvs.first else {
            throw StorageError.notFound(key: key)
        }
        let kv = try storageKeyValue(current)
        // A lost answer to an earlier attempt of this very update: the key holds our value now.
        if retries > 0, case .requestPut(let put)? = operation.request, Array(put.value) == kv.value {
            throw AppliedEarlier(kv: kv)
        }
        throw StorageError.conflict(key: key, current: kv)
    }

    /// An update whose first attempt was applied though its answer was lost.
    struct AppliedEarlier: Error {
        let kv: KeyValue
    }

    func storageKeyValue(_ kv: Mvccpb_KeyValue) throws -> KeyValue {
        guard let key = keys.storageKey(Array(kv.key)) else {
            throw StorageError.io("etcd returned a key outside the prefix")
        }
        return KeyValue(key: key, value: Array(kv.value), createRevision: EtcdKeySpace.storageRevision(kv.createRevision),
                        modRevision: EtcdKeySpace.storageRevision(kv.modRevision))
    }
}
