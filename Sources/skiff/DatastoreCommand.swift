import ArgumentParser
import Foundation
import KubeAPI
import Logging
import Storage

/// `skiff datastore export|import`: moves a cluster's objects between stores (SQLite ↔ etcd) as
/// JSON lines, one `{"key": …, "value": <object>}` per key. Objects are kept as they are; the
/// target store gives them new revisions, so resourceVersions change.
struct DatastoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datastore", abstract: "Export or import the cluster's state (stop the servers first).",
        subcommands: [Export.self, Import.self])

    static let root = "/registry/"
    static let events = "/registry/events/"

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every object as JSON lines to standard output.")

        @Option(help: "Data directory of a SQLite-backed server.") var dataDir = "/var/lib/skiff"
        @OptionGroup(title: "Datastore") var datastore: DatastoreOptions

        func run() async throws {
            let backend = try await datastore.makeBackend(dataDir: dataDir, logger: Logger(label: "skiff.datastore"))
            var after: String?
            var revision: Int64?
            var count = 0
            let out = FileHandle.standardOutput
            repeat {
                let page = try await backend.list(prefix: DatastoreCommand.root, revision: revision, startAfter: after, limit: 500)
                revision = page.revision
                var chunk: [UInt8] = []
                for kv in page.items {
                    chunk += DatastoreCommand.line(kv)
                    chunk.append(0x0A)
                }
                out.write(Data(chunk))
                count += page.items.count
                after = page.more ? page.items.last?.key : nil
            } while after != nil
            await backend.close()
            FileHandle.standardError.write(Data("exported \(count) objects at revision \(revision ?? 0)\n".utf8))
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read JSON lines (a file or standard input) into the store; existing keys are overwritten.")

        @Option(help: "Data directory of a SQLite-backed server.") var dataDir = "/var/lib/skiff"
        @OptionGroup(title: "Datastore") var datastore: DatastoreOptions
        @Argument(help: "The export file (default: standard input).") var file: String?
        @Option(help: "Seconds imported Events live, as the server's --event-ttl (a store that expires keys, etcd, deletes them then).")
        var eventTTL: Double = 3600

        func run() async throws {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            let input = try file.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } ?? FileHandle.standardInput.readDataToEndOfFile()
            let backend = try await datastore.makeBackend(dataDir: dataDir, logger: Logger(label: "skiff.datastore"))
            var created = 0, replaced = 0
            do {
                for (number, line) in input.split(separator: 0x0A).enumerated() where !line.isEmpty {
                    let (key, value) = try DatastoreCommand.parse(Array(line), number: number + 1)
                    let ttl: Duration? = key.hasPrefix(DatastoreCommand.events) ? .seconds(eventTTL) : nil
                    do {
                        _ = try await backend.create(key, value: value, ttl: ttl)
                        created += 1
                    } catch StorageError.alreadyExists {
                        _ = try await backend.update(key, value: value, expectedModRevision: nil, ttl: ttl)
                        replaced += 1
                    }
                }
            } catch {
                await backend.close()
                throw error
            }
            await backend.close()
            FileHandle.standardError.write(Data("imported \(created + replaced) objects (\(replaced) replaced existing keys)\n".utf8))
        }
    }

    static func line(_ kv: KeyValue) -> [UInt8] {
        var fields: [(String, JSON)] = [("key", .string(kv.key))]
        if let object = try? JSONParser.parse(kv.value) {
            fields.append(("value", object))
        } else {
            fields.append(("valueBase64", .string(Data(kv.value).base64EncodedString())))
        }
        return JSON.object(JSONObject(fields)).bytes
    }

    static func parse(_ line: [UInt8], number: Int) throws -> (String, [UInt8]) {
        guard let json = try? JSONParser.parse(line), let key = json.string("key"), key.hasPrefix(root) else {
            throw ValidationError("line \(number): not an exported {\"key\": \"/registry/…\", \"value\": …} line")
        }
        if let value = json["value"] { return (key, value.bytes) }
        if let encoded = json.string("valueBase64"), let data = Data(base64Encoded: encoded) { return (key, Array(data)) }
        throw ValidationError("line \(number): no value")
    }
}
