/// The read queries, on a connection of their own: in WAL mode they never wait for the writer.
/// Each multi-statement read runs in one transaction so it sees one snapshot.
final class SQLiteReader {
    private let db: SQLiteConnection

    init(path: String) throws {
        db = try SQLiteConnection(path: path, pragmas: SQLiteSchema.readerPragmas)
    }

    func currentRevision() throws -> Int64 {
        try meta(SQLiteSchema.revisionKey)
    }

    func compactRevision() throws -> Int64 {
        try meta(SQLiteSchema.compactRevisionKey)
    }

    func get(_ key: String) throws -> KeyValue? {
        var result: KeyValue?
        try db.run("SELECT create_revision, mod_revision, value FROM current WHERE key = ?1", [.text(key)]) { row in
            result = KeyValue(key: key, value: row.blob(2), createRevision: row.int64(0), modRevision: row.int64(1))
        }
        return result
    }

    func count(_ range: KeyRange) throws -> Int {
        Int(try db.int64("SELECT COUNT(*) FROM current WHERE key >= ?1 AND key < ?2", [.text(range.lower), .text(range.upper)]) ?? 0)
    }

    func list(_ range: KeyRange, revision requested: Int64, limit: Int) throws -> ListResult {
        try db.transaction {
            let current = try currentRevision()
            let at = requested == 0 ? current : requested
            if at > current { throw StorageError.futureRevision(requested: at, current: current) }
            let compacted = try compactRevision()
            if at < compacted { throw StorageError.compacted(requested: at, compactRevision: compacted) }

            let lowerOp = range.lowerInclusive ? ">=" : ">"
            // One extra row tells whether the limit cut the list.
            let rowLimit: SQLiteValue = .int(limit > 0 ? Int64(limit) + 1 : -1)
            var items: [KeyValue] = []
            let appendRow = { (row: SQLiteStatement) in
                items.append(KeyValue(key: row.text(0), value: row.blob(3), createRevision: row.int64(1), modRevision: row.int64(2)))
            }
            if at == current {
                try db.run("""
                    SELECT key, create_revision, mod_revision, value FROM current
                    WHERE key \(lowerOp) ?1 AND key < ?2 ORDER BY key LIMIT ?3
                    """, [.text(range.lower), .text(range.upper), rowLimit], row: appendRow)
            } else {
                // Each key's latest log row at `at` (SQLite takes bare columns from the MAX row), minus deletions.
                try db.run("""
                    SELECT key, create_revision, revision, value FROM (
                        SELECT key, MAX(revision) AS revision, type, create_revision, value FROM log
                        WHERE key \(lowerOp) ?1 AND key < ?2 AND revision <= ?3 GROUP BY key
                    ) WHERE type != \(StorageEventType.deleted.code) ORDER BY key LIMIT ?4
                    """, [.text(range.lower), .text(range.upper), .int(at), rowLimit], row: appendRow)
            }
            let more = limit > 0 && items.count > limit
            if more { items.removeLast() }
            return ListResult(items: items, revision: at, more: more)
        }
    }

    func events(_ range: KeyRange, after afterRevision: Int64) throws -> [StorageEvent] {
        try db.transaction {
            let compacted = try compactRevision()
            if afterRevision < compacted {
                throw StorageError.compacted(requested: afterRevision, compactRevision: compacted)
            }
            var events: [StorageEvent] = []
            // Compaction keeps the row a later event's prev_revision points at, so the join always finds it.
            try db.run("""
                SELECT l.revision, l.key, l.type, l.create_revision, l.value, p.revision, p.create_revision, p.value
                FROM log AS l LEFT JOIN log AS p ON p.revision = l.prev_revision AND l.prev_revision > 0
                WHERE l.revision > ?1 AND l.key >= ?2 AND l.key < ?3 ORDER BY l.revision
                """, [.int(afterRevision), .text(range.lower), .text(range.upper)]) { row in
                let key = row.text(1)
                let kv = KeyValue(key: key, value: row.blob(4), createRevision: row.int64(3), modRevision: row.int64(0))
                let prevKV = row.isNull(5) ? nil
                    : KeyValue(key: key, value: row.blob(7), createRevision: row.int64(6), modRevision: row.int64(5))
                events.append(StorageEvent(type: try StorageEventType(code: row.int64(2)), kv: kv, prevKV: prevKV))
            }
            return events
        }
    }

    private func meta(_ name: String) throws -> Int64 {
        guard let value = try db.int64(SQLiteSchema.selectMeta, [.text(name)]) else {
            throw StorageError.io("meta row \(name) is missing")
        }
        return value
    }
}
