import EtcdStore
import Foundation
import Storage
import Testing

/// Every backend the contract suite runs against.
enum BackendKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, etcd

    var testDescription: String { rawValue }
}

/// Runs `body` with a fresh backend in its own temporary directory, then closes it and removes the directory.
/// For etcd, a fresh etcd process serves the test under its own key prefix and is stopped after it.
func withBackend(_ kind: BackendKind, _ body: (any StorageBackend) async throws -> Void) async throws {
    if kind == .etcd { await EtcdSlots.shared.acquire() }
    defer { if kind == .etcd { Task { await EtcdSlots.shared.release() } } }
    try await withTemporaryDirectory { directory in
        var etcd: EtcdProcess?
        defer { etcd?.stop() }
        let backend: any StorageBackend
        switch kind {
        case .memory: backend = MemoryBackend()
        case .sqlite: backend = try SQLiteBackend(path: directory + "/skiff.db")
        case .etcd:
            etcd = try EtcdProcess.start(dataDir: directory + "/etcd")
            let started = try EtcdBackend(configuration: EtcdConfiguration(
                endpoints: [etcd!.clientURL], keyPrefix: "/skiff-test-\(UUID().uuidString)", storageRoot: ""))
            do {
                try await started.waitUntilReachable(timeout: .seconds(20))
            } catch {
                await started.close()
                throw EtcdTestError("etcd did not answer: \(error)\n\(etcd!.log)")
            }
            backend = started
        }
        do {
            try await body(backend)
        } catch {
            await backend.close()
            throw error
        }
        await backend.close()
    }
}

func withTemporaryDirectory(_ body: (String) async throws -> Void) async throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-storage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try await body(url.path)
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

/// Collects events from `stream` until one at `revision` arrives.
func collect(_ stream: AsyncThrowingStream<StorageEvent, any Error>, through revision: Int64) async throws -> [StorageEvent] {
    var events: [StorageEvent] = []
    for try await event in stream {
        events.append(event)
        if event.revision >= revision { break }
    }
    return events
}
