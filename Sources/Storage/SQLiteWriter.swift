/// The single writer: applies a batch of queued writes in one transaction (group commit, one fsync
/// for the batch), publishes the events, then answers every caller.
final class SQLiteWriter {
    private let db: SQLiteConnection
    private let hub: WatchHub
    private let mark: RevisionMark
    /// Mirrors meta, so a batch numbers its writes without reading it back.
    private var revision: Int64
    private var compactRevision: Int64

    init(path: String, hub: WatchHub, mark: RevisionMark) throws {
        db = try SQLiteConnection(path: path, pragmas: SQLiteSchema.writerPragmas)
        try SQLiteSchema.create(in: db)
        self.hub = hub
        self.mark = mark
        revision = try db.int64(SQLiteSchema.selectMeta, [.text(SQLiteSchema.revisionKey)]) ?? 0
        compactRevision = try db.int64(SQLiteSchema.selectMeta, [.text(SQLiteSchema.compactRevisionKey)]) ?? 0
        mark.set(revision)
    }

    func commit(_ jobs: [WriteJob]) {
        let startRevision = revision
        let startCompactRevision = compactRevision
        var events: [StorageEvent] = []
        var replies: [() -> Void] = []
        do {
            try db.transaction("BEGIN IMMEDIATE") {
                for job in jobs { replies.append(try perform(job, events: &events)) }
                if revision != startRevision {
                    try db.run(SQLiteSchema.updateMeta, [.text(SQLiteSchema.revisionKey), .int(revision)])
                }
            }
        } catch {
            revision = startRevision
            compactRevision = startCompactRevision
            for job in jobs { job.fail(error) }
            return
        }
        // Publish before replying: once a write is acknowledged, every watcher already has its event.
        hub.publish(events)
        mark.set(revision)
        for reply in replies { reply() }
    }

    /// Runs one job in a savepoint, so a job that fails fails only itself. Returns the reply to send
    /// once the batch is committed; throws only when the whole transaction is lost.
    private func perform(_ job: WriteJob, events: inout [StorageEvent]) throws -> () -> Void {
        let savedRevision = revision
        let savedCompactRevision = compactRevision
        try db.run("SAVEPOINT job")
        let reply: () -> Void
        var event: StorageEvent?
        do {
            switch job {
            case .write(let operation, let continuation):
                let applied = try apply(operation)
                event = applied
                reply = { continuation.resume(returning: applied.kv) }
            case .compact(let target, let continuation):
                try compact(to: target)
                reply = { continuation.resume() }
            }
            try db.run("RELEASE job")
        } catch {
            revision = savedRevision
            compactRevision = savedCompactRevision
            try db.run("ROLLBACK TO job")
            try db.run("RELEASE job")
            return { job.fail(error) }
        }
        if let event { events.append(event) }
        return reply
    }

    /// Checks the operation's condition, then writes it to `current` and the log.
    private func apply(_ operation: WriteOperation) throws -> StorageEvent {
        let next = revision + 1
        let event: StorageEvent
        switch operation {
        case .create(let key, let value):
            if try currentValue(key) != nil { throw StorageError.alreadyExists(key: key) }
            let kv = KeyValue(key: key, value: value, createRevision: next, modRevision: next)
            event = StorageEvent(type: .created, kv: kv, prevKV: nil)
            try db.run(
                "INSERT INTO current (key, create_revision, mod_revision, value) VALUES (?1, ?2, ?2, ?3)",
                [.text(key), .int(next), .blob(value)])
        case .update(let key, let value, let expectedModRevision):
            let previous = try existing(key, expectedModRevision: expectedModRevision)
            let kv = KeyValue(key: key, value: value, createRevision: previous.createRevision, modRevision: next)
            event = StorageEvent(type: .updated, kv: kv, prevKV: previous)
            try db.run(
                "UPDATE current SET mod_revision = ?2, value = ?3 WHERE key = ?1",
                [.text(key), .int(next), .blob(value)])
        case .delete(let key, let expectedModRevision):
            let previous = try existing(key, expectedModRevision: expectedModRevision)
            var kv = previous
            kv.modRevision = next
            event = StorageEvent(type: .deleted, kv: kv, prevKV: previous)
            try db.run("DELETE FROM current WHERE key = ?1", [.text(key)])
        }
        try db.run("""
            INSERT INTO log (revision, key, type, create_revision, prev_revision, value)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """, [
                .int(next), .text(event.kv.key), .int(event.type.code), .int(event.kv.createRevision),
                .int(event.prevKV?.modRevision ?? 0), .blob(event.kv.value),
            ])
        revision = next
        return event
    }

    private func currentValue(_ key: String) throws -> KeyValue? {
        var result: KeyValue?
        try db.run("SELECT create_revision, mod_revision, value FROM current WHERE key = ?1", [.text(key)]) { row in
            result = KeyValue(key: key, value: row.blob(2), createRevision: row.int64(0), modRevision: row.int64(1))
        }
        return result
    }

    private func existing(_ key: String, expectedModRevision: Int64?) throws -> KeyValue {
        guard let current = try currentValue(key) else { throw StorageError.notFound(key: key) }
        if let expectedModRevision, expectedModRevision != current.modRevision {
            throw StorageError.conflict(key: key, current: current)
        }
        return current
    }

    /// Keeps each key's latest row at or below `target` unless it is a deletion: enough to rebuild
    /// any state from `target` on, and the rows later events' prev_revision point at.
    private func compact(to target: Int64) throws {
        if target > revision { throw StorageError.futureRevision(requested: target, current: revision) }
        if target < compactRevision {
            throw StorageError.compacted(requested: target, compactRevision: compactRevision)
        }
        guard target > compactRevision else { return }
        try db.run("""
            DELETE FROM log WHERE revision <= ?1 AND (type = \(StorageEventType.deleted.code) OR revision < (
                SELECT MAX(newer.revision) FROM log AS newer WHERE newer.key = log.key AND newer.revision <= ?1))
            """, [.int(target)])
        try db.run(SQLiteSchema.updateMeta, [.text(SQLiteSchema.compactRevisionKey), .int(target)])
        compactRevision = target
    }
}
