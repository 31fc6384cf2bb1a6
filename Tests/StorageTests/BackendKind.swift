import Foundation
import Storage
import Testing

/// Every backend the contract suite runs against.
enum BackendKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite

    var testDescription: String { rawValue }
}

/// Runs `body` with a fresh backend in its own temporary directory, then closes it and removes the directory.
func withBackend(_ kind: BackendKind, _ body: (any StorageBackend) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory in
        let backend: any StorageBackend = switch kind {
        case .memory: MemoryBackend()
        case .sqlite: try SQLiteBackend(path: directory + "/skiff.db")
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
