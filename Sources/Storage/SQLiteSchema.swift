/// The on-disk layout, after kine: an append-only `log` of every write (the history that watches and
/// old-revision lists read), `current` holding each live key's latest value (what lists at the
/// current revision read), and `meta` with the revision counter and the compact revision.
enum SQLiteSchema {
    /// 16 KB pages keep typical Kubernetes objects (1-10 KB) inline in their b-tree row instead of
    /// in overflow chains; it only applies to a new file, so it precedes WAL mode. WAL lets readers
    /// run beside the writer; synchronous=FULL fsyncs the WAL on every commit, so an acknowledged
    /// write survives kill -9 and power loss.
    static let writerPragmas = ["page_size = 16384", "journal_mode = WAL", "synchronous = FULL", "cache_size = -16384"]
    /// Lists of thousands of values should come from memory, not from read() calls.
    static let readerPragmas = ["query_only = ON", "cache_size = -65536", "mmap_size = 268435456"]

    static let revisionKey = "revision"
    static let compactRevisionKey = "compact_revision"

    static func create(in db: SQLiteConnection) throws {
        try db.transaction("BEGIN IMMEDIATE") {
            try db.execute("""
                CREATE TABLE IF NOT EXISTS log (
                    revision INTEGER PRIMARY KEY,
                    key TEXT NOT NULL,
                    type INTEGER NOT NULL,
                    create_revision INTEGER NOT NULL,
                    prev_revision INTEGER NOT NULL,
                    value BLOB NOT NULL
                );
                CREATE INDEX IF NOT EXISTS log_key_revision ON log (key, revision);
                CREATE TABLE IF NOT EXISTS current (
                    key TEXT PRIMARY KEY,
                    create_revision INTEGER NOT NULL,
                    mod_revision INTEGER NOT NULL,
                    value BLOB NOT NULL
                );
                CREATE TABLE IF NOT EXISTS meta (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO meta (name, value) VALUES ('\(revisionKey)', 0), ('\(compactRevisionKey)', 0);
                """)
        }
    }

    static let selectMeta = "SELECT value FROM meta WHERE name = ?1"
    static let updateMeta = "UPDATE meta SET value = ?2 WHERE name = ?1"
}

extension StorageEventType {
    /// The `log.type` column.
    var code: Int64 {
        switch self {
        case .created: 0
        case .updated: 1
        case .deleted: 2
        }
    }

    init(code: Int64) throws {
        switch code {
        case 0: self = .created
        case 1: self = .updated
        case 2: self = .deleted
        default: throw StorageError.io("unknown event type \(code) in log")
        }
    }
}
