/// MemoryBackend's state: the current values plus the log of every event since the compact revision.
struct MemoryStore {
    var revision: Int64 = 0
    var compactRevision: Int64 = 0
    var current: [ByteKey: KeyValue] = [:]
    /// The keys of `current` in byte order, so lists need no sort.
    var sortedKeys: [String] = []
    /// In revision order. Compaction keeps each live key's latest event at or below the compact
    /// revision, so replaying the log rebuilds any state from the compact revision on.
    var log: [StorageEvent] = []
    var closed = false

    func checkOpen() throws {
        if closed { throw StorageError.closed }
    }

    func existing(_ key: String, expectedModRevision: Int64?) throws -> KeyValue {
        guard let kv = current[ByteKey(key)] else { throw StorageError.notFound(key: key) }
        if let expectedModRevision, expectedModRevision != kv.modRevision {
            throw StorageError.conflict(key: key, current: kv)
        }
        return kv
    }

    mutating func apply(_ event: StorageEvent) {
        revision = event.revision
        log.append(event)
        let key = event.kv.key
        let index = insertionIndex(of: key)
        switch event.type {
        case .created:
            sortedKeys.insert(key, at: index)
            current[ByteKey(key)] = event.kv
        case .updated:
            current[ByteKey(key)] = event.kv
        case .deleted:
            sortedKeys.remove(at: index)
            current[ByteKey(key)] = nil
        }
    }

    func keys(in range: KeyRange) -> ArraySlice<String> {
        var start = insertionIndex(of: String(decoding: range.lower, as: UTF8.self))
        if !range.lowerInclusive, start < sortedKeys.count, sortedKeys[start].utf8.elementsEqual(range.lower) {
            start += 1
        }
        var end = start
        while end < sortedKeys.count, sortedKeys[end].hasBytePrefix(range.prefix) { end += 1 }
        return sortedKeys[start..<end]
    }

    func list(_ range: KeyRange, revision requested: Int64, limit: Int) throws -> ListResult {
        let at = try readableRevision(requested)
        var items: [KeyValue]
        if at == revision {
            items = keys(in: range).map { current[ByteKey($0)]! }
        } else {
            var state: [ByteKey: KeyValue] = [:]
            for event in log where event.revision <= at {
                state[ByteKey(event.kv.key)] = event.type == .deleted ? nil : event.kv
            }
            items = state.values.filter { range.contains($0.key) }.sorted { $0.key.precedesByBytes($1.key) }
        }
        let more = limit > 0 && items.count > limit
        if more { items.removeLast(items.count - limit) }
        return ListResult(items: items, revision: at, more: more)
    }

    func events(in range: KeyRange, after afterRevision: Int64) throws -> [StorageEvent] {
        if afterRevision < compactRevision {
            throw StorageError.compacted(requested: afterRevision, compactRevision: compactRevision)
        }
        let start = log.partitioningIndex { $0.revision > afterRevision }
        return log[start...].filter { $0.kv.key.hasBytePrefix(range.prefix) }
    }

    mutating func compact(_ target: Int64) throws {
        if target > revision { throw StorageError.futureRevision(requested: target, current: revision) }
        if target < compactRevision {
            throw StorageError.compacted(requested: target, compactRevision: compactRevision)
        }
        var latest: [ByteKey: Int64] = [:]
        for event in log where event.revision <= target { latest[ByteKey(event.kv.key)] = event.revision }
        log.removeAll { event in
            event.revision <= target && (event.type == .deleted || latest[ByteKey(event.kv.key)] != event.revision)
        }
        compactRevision = target
    }

    private func readableRevision(_ requested: Int64) throws -> Int64 {
        if requested == 0 { return revision }
        if requested > revision { throw StorageError.futureRevision(requested: requested, current: revision) }
        if requested < compactRevision {
            throw StorageError.compacted(requested: requested, compactRevision: compactRevision)
        }
        return requested
    }

    /// Binary search in `sortedKeys` by bytes.
    private func insertionIndex(of key: String) -> Int {
        sortedKeys.partitioningIndex { !$0.precedesByBytes(key) }
    }
}
