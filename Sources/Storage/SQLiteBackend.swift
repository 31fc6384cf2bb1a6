import Synchronization

/// The storage contract on a SQLite file: the embedded default, durable across kill -9 and power loss.
///
/// All writes go to one writer thread that group-commits whatever is queued; reads go round-robin
/// to reader threads with their own connections. Both stay off Swift's cooperative pool because
/// SQLite blocks. Call `close()` when done: it drains queued writes and checkpoints the WAL.
public final class SQLiteBackend: StorageBackend {
    private typealias ReadJob = @Sendable (SQLiteReader) -> Void

    private let hub = WatchHub()
    private let mark = RevisionMark()
    private let writer: WorkerThread<WriteJob>
    private let readers: [WorkerThread<ReadJob>]
    private let nextReader = Atomic<UInt>(0)

    /// Opens or creates the database at `path`, continuing its revision counter and history.
    public init(path: String, readerCount: Int = 2) throws {
        let hub = hub
        let mark = mark
        writer = try WorkerThread(name: "skiff-sqlite-writer") {
            try SQLiteWriter(path: path, hub: hub, mark: mark)
        } run: { writer, jobs in
            writer.commit(jobs)
        }
        // Opened after the writer, which creates the schema the readers' statements refer to.
        var readers: [WorkerThread<ReadJob>] = []
        do {
            for index in 0..<max(readerCount, 1) {
                readers.append(try WorkerThread(name: "skiff-sqlite-reader-\(index)") {
                    try SQLiteReader(path: path)
                } run: { reader, jobs in
                    for job in jobs { job(reader) }
                })
            }
        } catch {
            for reader in readers { reader.stop() }
            writer.stop()
            throw error
        }
        self.readers = readers
    }

    deinit {
        hub.close()
        writer.stop()
        for reader in readers { reader.stop() }
    }

    /// Keys never expire here: the API server sweeps Events itself.
    public var expiresKeys: Bool { false }

    public func currentRevision() async throws -> Int64 {
        if let r = mark.current { return r }
        return try await read { try $0.currentRevision() }
    }

    public func get(_ key: String) async throws -> KeyValue? {
        try await read { try $0.get(key) }
    }

    public func list(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws -> ListResult {
        let range = KeyRange(prefix: prefix, startAfter: startAfter)
        return try await read { try $0.list(range, revision: revision ?? 0, limit: limit ?? 0) }
    }

    public func count(prefix: String) async throws -> Int {
        try await read { try $0.count(KeyRange(prefix: prefix)) }
    }

    /// `ttl` is ignored (`expiresKeys` is false).
    public func create(_ key: String, value: [UInt8], ttl: Duration?) async throws -> KeyValue {
        try await write(.create(key: key, value: value))
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64?, ttl: Duration?) async throws -> KeyValue {
        try await write(.update(key: key, value: value, expectedModRevision: expectedModRevision))
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> KeyValue {
        try await write(.delete(key: key, expectedModRevision: expectedModRevision))
    }

    public func events(prefix: String, afterRevision: Int64) async throws -> [StorageEvent] {
        try await read { try $0.events(KeyRange(prefix: prefix), after: afterRevision) }
    }

    public func watch(prefix: String, afterRevision: Int64) -> AsyncThrowingStream<StorageEvent, any Error> {
        hub.watch(prefix: prefix, afterRevision: afterRevision) { [self] in
            try await events(prefix: prefix, afterRevision: afterRevision)
        }
    }

    public func compact(revision: Int64) async throws {
        try await withCheckedThrowingContinuation { continuation in
            submit(.compact(revision: revision, continuation))
        }
    }

    public func compactRevision() async throws -> Int64 {
        try await read { try $0.compactRevision() }
    }

    public func close() async {
        mark.set(-1)
        hub.close()
        for reader in readers { reader.stop() }
        writer.stop()
        for reader in readers { await reader.join() }
        // The writer closes last, so its connection is the one that checkpoints the WAL.
        await writer.join()
    }

    private func write(_ operation: WriteOperation) async throws -> KeyValue {
        try await withCheckedThrowingContinuation { continuation in
            submit(.write(operation, continuation))
        }
    }

    private func submit(_ job: WriteJob) {
        if !writer.submit(job) { job.fail(StorageError.closed) }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteReader) throws -> T) async throws -> T {
        let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        let reader = readers[Int(index % UInt(readers.count))]
        return try await withCheckedThrowingContinuation { continuation in
            let accepted = reader.submit { connection in
                continuation.resume(with: Result { try body(connection) })
            }
            if !accepted { continuation.resume(throwing: StorageError.closed) }
        }
    }
}
