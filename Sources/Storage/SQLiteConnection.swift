import CSQLite

/// One SQLite connection and its cached prepared statements. Not Sendable: each connection lives
/// on the one worker thread that opened it.
final class SQLiteConnection {
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    init(path: String, pragmas: [String]) throws {
        var handle: OpaquePointer?
        // NOMUTEX: the connection is confined to one thread, so SQLite's own locking is redundant.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = SQLiteConnection.error(code, handle, context: path)
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        // Only checkpoints and WAL recovery make a reader or the writer wait; wait rather than fail.
        sqlite3_busy_timeout(handle, 10_000)
        for pragma in pragmas { try execute("PRAGMA \(pragma)") }
    }

    deinit {
        statements = [:]
        sqlite3_close_v2(handle)
    }

    /// Runs SQL that returns no rows, without caching it.
    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteConnection.error(code, handle, context: sql) }
    }

    /// The cached statement for `sql`, prepared on first use.
    func statement(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try SQLiteStatement(sql, connection: handle)
        statements[sql] = statement
        return statement
    }

    func run(_ sql: String, _ parameters: [SQLiteValue] = [], row: (SQLiteStatement) throws -> Void = { _ in }) throws {
        try statement(sql).run(parameters, row: row)
    }

    /// The first column of the first row, for `SELECT value FROM meta ...`-style lookups.
    func int64(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int64? {
        var result: Int64?
        try run(sql, parameters) { row in
            if result == nil { result = row.int64(0) }
        }
        return result
    }

    /// Runs `body` in one transaction, so several reads see one snapshot or several writes commit at once.
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try run(begin)
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            rollback()
            throw error
        }
    }

    /// Ends any open transaction; a failed statement may already have rolled it back.
    func rollback() {
        if sqlite3_get_autocommit(handle) == 0 { try? run("ROLLBACK") }
    }

    static func error(_ code: Int32, _ handle: OpaquePointer?, context: String? = nil) -> StorageError {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        let suffix = context.map { " (\($0))" } ?? ""
        return .io("sqlite error \(code): \(message)\(suffix)")
    }
}
