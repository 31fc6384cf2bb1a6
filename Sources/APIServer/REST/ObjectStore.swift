import Foundation
import KubeAPI
import Logging
import Storage
import Synchronization

/// The generic REST semantics over the storage backend: create, get, list, update, patch,
/// delete, as Kubernetes' generic registry does them. Every write goes to the backend with a
/// revision precondition; reads come from the watch cache once it has caught up.
public final class ObjectStore: Sendable {
    public let backend: any StorageBackend
    public let cache: WatchCache
    let clock: WallClock
    let strategies: StrategyCatalog
    let admission: AdmissionChain
    /// Resource key prefix → how long its objects live (Events: `--event-ttl`), as
    /// kube-apiserver's registry TTL functions: on create and on every update.
    let ttls: [String: Duration]
    /// Resource key prefix → the newest revision this server acknowledged a write of it at.
    private let acknowledged = Mutex<[String: Int64]>([:])

    public init(backend: any StorageBackend, cache: WatchCache, clock: WallClock = .system,
                admission: AdmissionChain = AdmissionChain(), ttls: [String: Duration] = [:]) {
        self.backend = backend
        self.cache = cache
        self.clock = clock
        self.strategies = StrategyCatalog()
        self.admission = admission
        self.ttls = ttls
    }

    func ttl(_ r: ResourceInfo) -> Duration? { ttls[r.keyPrefix] }

    /// The newest revision this server acknowledged a write of `r` at (status writes aside):
    /// waiting for the cache to reach it gives a plugin that reads `r` from the cache this
    /// server's own earlier writes of what it reads (a quota's `hard`, a range's limits).
    public func lastAcknowledged(_ r: ResourceInfo) -> Int64 { acknowledged.withLock { $0[r.keyPrefix] ?? 0 } }

    func acknowledge(_ revision: Int64, _ r: ResourceInfo) {
        acknowledged.withLock { $0[r.keyPrefix] = max($0[r.keyPrefix] ?? 0, revision) }
    }

    // MARK: Reads

    public func get(_ r: ResourceInfo, namespace: String?, name: String) async throws -> CachedObject {
        try await cache.waitFresh()
        guard let o = cache.get(r.key(namespace: namespace, name: name), resource: r) else {
            throw StatusError.notFound(r, name)
        }
        return o
    }

    /// The current object straight from the backend, with its revision stamped in.
    func current(_ r: ResourceInfo, key: String, name: String) async throws -> (JSON, Int64) {
        guard let kv = try await backend.get(key) else { throw StatusError.notFound(r, name) }
        var obj = try decodeStored(kv.value)
        obj[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
        return (obj, kv.modRevision)
    }

    func decodeStored(_ bytes: [UInt8]) throws -> JSON {
        do { return try JSONParser.parse(bytes) } catch { throw StatusError.internalError("stored object is corrupt: \(error)") }
    }

    // MARK: Create

    public func create(_ r: ResourceInfo, namespace: String?, object input: JSON, options: RequestOptions) async throws -> JSON {
        var obj = input
        try checkNamespace(r, &obj, urlNamespace: namespace)
        if r.namespaced, let ns = namespace { try await requireActiveNamespace(ns) }
        var meta = obj["metadata"]?.object ?? JSONObject()
        if (meta["name"]?.string ?? "").isEmpty, let gen = meta["generateName"]?.string, !gen.isEmpty {
            meta["name"] = .string(gen + Self.randomSuffix())
        }
        meta["uid"] = .string(UUID().uuidString.lowercased())
        meta["creationTimestamp"] = .string(clock.timestamp())
        for k in ["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields"] { meta[k] = nil }
        if meta["generation"] != nil || obj["spec"] != nil { meta["generation"] = 1 }
        obj["metadata"] = .object(meta)
        let strategy = strategies.strategy(for: r)
        strategy.prepareForCreate(&obj, clock: clock)
        var name = obj[path: ["metadata", "name"]]?.string ?? ""
        // Canonical first, so comparisons see 1000m and 1 as the same; bad values stay for validation to name.
        try? Normalizer.canonicalize(&obj, resource: r)
        let errors = MetaRules.unique(MetaRules.validate(obj, resource: r) + strategy.validate(obj))
        if !errors.isEmpty { throw StatusError.invalid(kind: r.kind, group: r.group, name: name, causes: errors) }
        try Normalizer.canonicalize(&obj, resource: r)
        try await admission.admit(AdmissionRequest(operation: .create, resource: r, namespace: namespace, name: name,
                                                   user: UserInfo.current, dryRun: options.dryRun),
                                  object: &obj, store: self)
        if options.dryRun { return obj }
        // A generated name that happens to be taken is drawn again, as Kubernetes does (up to 8 tries).
        let generated = (input[path: ["metadata", "name"]]?.string ?? "").isEmpty
        for attempt in 0..<8 {
            let key = r.key(namespace: namespace, name: name)
            do {
                let kv = try await backend.create(key, value: Self.storedBytes(obj), ttl: ttl(r))
                acknowledge(kv.modRevision, r)
                obj[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
                return obj
            } catch StorageError.alreadyExists {
                guard generated, attempt < 7, let gen = obj[path: ["metadata", "generateName"]]?.string else {
                    throw StatusError.alreadyExists(r, name)
                }
                name = gen + Self.randomSuffix()
                obj[path: ["metadata", "name"]] = .string(name)
            }
        }
        throw StatusError.alreadyExists(r, name)
    }

    static let suffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    static func randomSuffix() -> String { String((0..<5).map { _ in suffixAlphabet.randomElement()! }) }

    /// Stored values carry no resourceVersion: it is the backend's revision, stamped on read.
    static func storedBytes(_ obj: JSON) -> [UInt8] {
        var o = obj
        o[path: ["metadata", "resourceVersion"]] = nil
        return o.bytes
    }

    func checkNamespace(_ r: ResourceInfo, _ obj: inout JSON, urlNamespace: String?) throws {
        guard obj.object != nil else { throw StatusError.badRequest("the body of the request must be a JSON object") }
        if obj["metadata"] == nil || obj["metadata"]?.isNull == true { obj["metadata"] = .object(JSONObject()) }
        guard obj["metadata"]?.object != nil else {
            throw StatusError.badRequest("\(r.kind) in version \"\(r.version)\" cannot be handled as a \(r.kind): metadata must be an object")
        }
        if let av = obj["apiVersion"]?.string, !av.isEmpty, av != r.apiVersion {
            throw StatusError.badRequest("the API version in the data (\(av)) does not match the expected API version (\(r.apiVersion))")
        }
        if let k = obj["kind"]?.string, !k.isEmpty, k != r.kind {
            throw StatusError.badRequest("the kind in the data (\(k)) does not match the expected kind (\(r.kind))")
        }
        obj["apiVersion"] = .string(r.apiVersion)
        obj["kind"] = .string(r.kind)
        if r.namespaced {
            let bodyNS = obj[path: ["metadata", "namespace"]]?.string ?? ""
            if let ns = urlNamespace {
                if !bodyNS.isEmpty && bodyNS != ns {
                    throw StatusError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
                }
                obj[path: ["metadata", "namespace"]] = .string(ns)
            }
        } else {
            obj[path: ["metadata", "namespace"]] = nil
        }
    }

    func requireActiveNamespace(_ ns: String) async throws {
        let nsr = ResourceCatalog.lookup(group: "", version: "v1", resource: "namespaces")!
        let key = nsr.key(namespace: nil, name: ns)
        // The cache answers almost always; a namespace created a moment ago may only be in storage.
        let phase: String?
        if let cached = cache.get(key, resource: nsr) {
            phase = cached.fields["status.phase"]
        } else if let kv = try await backend.get(key) {
            phase = try decodeStored(kv.value)[path: ["status", "phase"]]?.string
        } else {
            throw StatusError.notFound(nsr, ns)
        }
        if phase == "Terminating" {
            throw StatusError.forbidden("unable to create new content in namespace \(ns) because it is being terminated",
                                        name: ns, kind: "namespaces")
        }
    }

    // MARK: Update

    /// PUT: replaces the object; a stale resourceVersion in the body is a Conflict.
    public func update(_ r: ResourceInfo, namespace: String?, name: String, object input: JSON,
                       subresource: String?, options: RequestOptions) async throws -> JSON {
        var body = input
        try checkNamespace(r, &body, urlNamespace: namespace)
        let bodyName = body[path: ["metadata", "name"]]?.string ?? ""
        if bodyName.isEmpty { body[path: ["metadata", "name"]] = .string(name) }
        if !bodyName.isEmpty && bodyName != name {
            throw StatusError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let precondition = body[path: ["metadata", "resourceVersion"]]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let fixedBody = body
        return try await guaranteedUpdate(r, namespace: namespace, name: name, subresource: subresource,
                                          dryRun: options.dryRun) { _ in
            var next = fixedBody
            if precondition == nil { next[path: ["metadata", "resourceVersion"]] = nil }
            return next
        }
    }

    /// Reads the current object, computes the new one, and writes it conditionally on the
    /// revision it read, retrying on a race unless the new object names a stale revision itself.
    public func guaranteedUpdate(_ r: ResourceInfo, namespace: String?, name: String, subresource: String? = nil,
                                 dryRun: Bool = false,
                                 _ compute: (JSON) throws -> JSON) async throws -> JSON {
        let key = r.key(namespace: namespace, name: name)
        let strategy = strategies.strategy(for: r)
        for _ in 0..<16 {
            let (old, rev) = try await current(r, key: key, name: name)
            var new = try compute(old)
            try checkNamespace(r, &new, urlNamespace: namespace)
            if let want = new[path: ["metadata", "resourceVersion"]]?.string, !want.isEmpty, want != String(rev) {
                throw StatusError.conflict(r, name)
            }
            if let uid = new[path: ["metadata", "uid"]]?.string, !uid.isEmpty,
               let oldUID = old[path: ["metadata", "uid"]]?.string, uid != oldUID {
                throw StatusError.conflict(r, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(oldUID)")
            }
            new[path: ["metadata", "name"]] = .string(name)
            for k in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                new[path: ["metadata", k]] = old[path: ["metadata", k]]
            }
            if old[path: ["metadata", "deletionTimestamp"]] != nil, new[path: ["metadata", "deletionTimestamp"]] == nil {
                new[path: ["metadata", "deletionTimestamp"]] = old[path: ["metadata", "deletionTimestamp"]]
            }
            strategy.prepareForUpdate(&new, old: old, subresource: subresource)
            if new["spec"] != old["spec"], let g = old[path: ["metadata", "generation"]]?.int {
                new[path: ["metadata", "generation"]] = .int(g + 1)
            }
            try? Normalizer.canonicalize(&new, resource: r)
            let errors = MetaRules.unique(MetaRules.validateUpdate(new, old: old, resource: r) + strategy.validateUpdate(new, old: old, subresource: subresource))
            if !errors.isEmpty { throw StatusError.invalid(kind: r.kind, group: r.group, name: name, causes: errors) }
            try Normalizer.canonicalize(&new, resource: r)
            try await admission.admit(AdmissionRequest(operation: .update, resource: r, subresource: subresource, namespace: namespace,
                                                       name: name, user: UserInfo.current, old: old, dryRun: dryRun),
                                      object: &new, store: self)
            new[path: ["metadata", "resourceVersion"]] = .string(String(rev))
            if new == old || dryRun { return new }
            // An object being deleted whose last finalizer is gone is removed now. A pod only once
            // its grace period is over (ShouldDeleteDuringUpdate upstream): otherwise its kubelet
            // confirms the deletion itself, after its final status.
            if new[path: ["metadata", "deletionTimestamp"]] != nil,
               (new[path: ["metadata", "finalizers"]]?.array ?? []).isEmpty,
               r.resource != "pods" || old[path: ["metadata", "deletionGracePeriodSeconds"]]?.int == 0 {
                do {
                    let kv = try await backend.delete(key, expectedModRevision: rev)
                    acknowledge(kv.modRevision, r)
                    new[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
                    return new
                } catch StorageError.conflict { continue }
            }
            do {
                let kv = try await backend.update(key, value: Self.storedBytes(new), expectedModRevision: rev, ttl: ttl(r))
                // A status write (a quota's usage, charged on every create) is not what admission reads.
                if subresource != "status" { acknowledge(kv.modRevision, r) }
                new[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
                return new
            } catch StorageError.conflict {
                continue
            } catch StorageError.notFound {
                throw StatusError.notFound(r, name)
            }
        }
        throw StatusError.conflict(r, name)
    }

    // MARK: Patch

    /// `fieldCheck` sees the patched object before anything is stored (unknown fields, types).
    public func patch(_ r: ResourceInfo, namespace: String?, name: String, type: PatchType, patch: JSON,
                      subresource: String?, options: RequestOptions,
                      fieldCheck: (inout JSON) throws -> Void = { _ in }) async throws -> JSON {
        if type == .apply {
            let key = r.key(namespace: namespace, name: name)
            if try await backend.get(key) == nil {
                var obj = patch
                if obj[path: ["metadata", "name"]] == nil { obj[path: ["metadata", "name"]] = .string(name) }
                try fieldCheck(&obj)
                return try await create(r, namespace: namespace, object: obj, options: options)
            }
        }
        return try await guaranteedUpdate(r, namespace: namespace, name: name, subresource: subresource,
                                          dryRun: options.dryRun) { old in
            var patched = try PatchApplier.apply(type, patch: patch, to: old, resource: r)
            // A patch that does not name a revision applies to whatever is current.
            if patch[path: ["metadata", "resourceVersion"]] == nil {
                patched[path: ["metadata", "resourceVersion"]] = nil
            }
            try fieldCheck(&patched)
            return patched
        }
    }

    // MARK: Delete

    public struct DeleteResult: Sendable {
        public var object: JSON
        /// false when the object stays, marked for deletion (grace period or finalizers).
        public var removed: Bool
    }

    public func delete(_ r: ResourceInfo, namespace: String?, name: String, options: DeleteOptions) async throws -> DeleteResult {
        let key = r.key(namespace: namespace, name: name)
        let strategy = strategies.strategy(for: r)
        for _ in 0..<16 {
            var (obj, rev) = try await current(r, key: key, name: name)
            if let uid = options.preconditionUID, uid != obj[path: ["metadata", "uid"]]?.string {
                throw StatusError.conflict(r, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(obj[path: ["metadata", "uid"]]?.string ?? "")")
            }
            if let want = options.preconditionResourceVersion, want != String(rev) {
                throw StatusError.conflict(r, name, "Precondition failed: ResourceVersion in precondition: \(want), ResourceVersion in object meta: \(rev)")
            }
            if options.dryRun { return DeleteResult(object: obj, removed: true) }
            let finalizers = obj[path: ["metadata", "finalizers"]]?.array ?? []
            let grace = strategy.gracePeriod(obj, requested: options.gracePeriodSeconds)
            let marked = obj[path: ["metadata", "deletionTimestamp"]] != nil
            if r.resource == "namespaces" {
                if marked { return DeleteResult(object: obj, removed: false) }
                obj[path: ["metadata", "deletionTimestamp"]] = .string(clock.timestamp())
                obj[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
                obj[path: ["status", "phase"]] = "Terminating"
                do {
                    let kv = try await backend.update(key, value: Self.storedBytes(obj), expectedModRevision: rev, ttl: ttl(r))
                    acknowledge(kv.modRevision, r)
                    obj[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
                    return DeleteResult(object: obj, removed: false)
                } catch StorageError.conflict { continue }
            }
            if grace > 0 || !finalizers.isEmpty {
                let currentGrace = obj[path: ["metadata", "deletionGracePeriodSeconds"]]?.int
                if marked, let cg = currentGrace, cg <= grace, grace > 0 || !finalizers.isEmpty {
                    return DeleteResult(object: obj, removed: false)
                }
                obj[path: ["metadata", "deletionTimestamp"]] = .string(clock.timestamp(offset: TimeInterval(grace)))
                obj[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(grace)
                do {
                    let kv = try await backend.update(key, value: Self.storedBytes(obj), expectedModRevision: rev, ttl: ttl(r))
                    acknowledge(kv.modRevision, r)
                    obj[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
                    return DeleteResult(object: obj, removed: false)
                } catch StorageError.conflict { continue }
            }
            do {
                let kv = try await backend.delete(key, expectedModRevision: rev)
                acknowledge(kv.modRevision, r)
                obj[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
                return DeleteResult(object: obj, removed: true)
            } catch StorageError.conflict {
                continue
            } catch StorageError.notFound {
                throw StatusError.notFound(r, name)
            }
        }
        throw StatusError.conflict(r, name)
    }
}
