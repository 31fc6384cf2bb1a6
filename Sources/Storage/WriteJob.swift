/// A write queued for SQLiteWriter, with its caller waiting on the continuation.
enum WriteJob: Sendable {
    case write(WriteOperation, CheckedContinuation<KeyValue, any Error>)
    case compact(revision: Int64, CheckedContinuation<Void, any Error>)

    func fail(_ error: any Error) {
        switch self {
        case .write(_, let continuation): continuation.resume(throwing: error)
        case .compact(_, let continuation): continuation.resume(throwing: error)
        }
    }
}

enum WriteOperation: Sendable {
    case create(key: String, value: [UInt8])
    case update(key: String, value: [UInt8], expectedModRevision: Int64?)
    case delete(key: String, expectedModRevision: Int64?)
}
