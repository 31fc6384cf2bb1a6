import Foundation

/// Records persisted one JSON file each under a directory, loaded at start: the runtime's
/// memory of sandboxes and containers across restarts.
actor RecordStore<Record: Codable & Sendable> {
    private let directory: String
    private var records: [String: Record] = [:]

    init(directory: String) throws {
        self.directory = directory
        try Files.mkdir(directory)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".json") {
            guard let data = Files.read(directory + "/" + name), let record = try? JSONDecoder().decode(Record.self, from: data) else { continue }
            records[String(name.dropLast(5))] = record
        }
    }

    func get(_ id: String) -> Record? { records[id] }

    func all() -> [Record] { Array(records.values) }

    func put(_ id: String, _ record: Record) throws {
        records[id] = record
        try Files.writeAtomically(try JSONEncoder().encode(record), to: "\(directory)/\(id).json")
    }

    /// Applies `change` to a stored record and persists it; nil when there is no such record.
    @discardableResult
    func update(_ id: String, _ change: (inout Record) -> Void) throws -> Record? {
        guard var record = records[id] else { return nil }
        change(&record)
        try put(id, record)
        return record
    }

    func remove(_ id: String) {
        records[id] = nil
        Files.remove("\(directory)/\(id).json")
    }

    /// Resolves a full ID or a unique prefix of one, as crictl users type them.
    func resolve(_ idOrPrefix: String) -> String? {
        if records[idOrPrefix] != nil { return idOrPrefix }
        guard !idOrPrefix.isEmpty else { return nil }
        let matches = records.keys.filter { $0.hasPrefix(idOrPrefix) }
        return matches.count == 1 ? matches[0] : nil
    }
}
