import CSQLite

/// A statement parameter. Keys bind as TEXT from raw bytes, so range bounds that are not valid UTF-8
/// still compare bytewise under the BINARY collation.
enum SQLiteValue {
    case int(Int64)
    case text([UInt8])
    case blob([UInt8])

    static func text(_ string: String) -> SQLiteValue { .text(Array(string.utf8)) }

    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .int(let value):
            return sqlite3_bind_int64(statement, index, value)
        case .text(let bytes) where bytes.isEmpty:
            // A non-nil pointer, so that "" binds as text rather than NULL.
            return sqlite3_bind_text(statement, index, "", 0, sqliteTransient)
        case .text(let bytes):
            return bytes.withUnsafeBytes { buffer in
                sqlite3_bind_text(
                    statement, index, buffer.baseAddress!.assumingMemoryBound(to: CChar.self),
                    Int32(buffer.count), sqliteTransient)
            }
        case .blob(let bytes) where bytes.isEmpty:
            return sqlite3_bind_zeroblob(statement, index, 0)
        case .blob(let bytes):
            return bytes.withUnsafeBytes { buffer in
                sqlite3_bind_blob(statement, index, buffer.baseAddress, Int32(buffer.count), sqliteTransient)
            }
        }
    }
}

/// SQLITE_TRANSIENT, which Swift cannot import: SQLite copies the bytes before the call returns.
private var sqliteTransient: sqlite3_destructor_type {
    unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
