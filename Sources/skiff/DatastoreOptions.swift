import ArgumentParser
import EtcdStore
import Foundation
import Logging
import Storage

/// Where the API server keeps its state: the embedded SQLite file in the data directory, or an
/// etcd cluster (k3s's flag names).
struct DatastoreOptions: ParsableArguments {
    @Option(help: "etcd client URLs, comma-separated (e.g. http://127.0.0.1:2379,http://127.0.0.1:22379); without it, SQLite in the data directory.")
    var datastoreEndpoint: String?

    @Option(help: "The etcd key prefix of this cluster's objects (Kubernetes' layout is /registry).")
    var datastorePrefix = "/registry"

    @Option(help: "CA certificate (PEM) that signed the etcd members' certificates.")
    var datastoreCafile: String?

    @Option(help: "Client certificate (PEM) for etcd.")
    var datastoreCertfile: String?

    @Option(help: "Client key (PEM) for etcd.")
    var datastoreKeyfile: String?

    var isEtcd: Bool { datastoreEndpoint != nil }

    var etcdConfiguration: EtcdConfiguration? {
        guard let datastoreEndpoint else { return nil }
        var prefix = datastorePrefix
        while prefix.count > 1, prefix.hasSuffix("/") { prefix.removeLast() }
        return EtcdConfiguration(
            endpoints: datastoreEndpoint.split(separator: ",").map { String($0) }.filter { !$0.isEmpty },
            keyPrefix: prefix, storageRoot: "/registry",
            caFile: datastoreCafile.map(absolute), certFile: datastoreCertfile.map(absolute), keyFile: datastoreKeyfile.map(absolute))
    }

    /// The backend these options name; for etcd, once a member answers.
    func makeBackend(dataDir: String, logger: Logger) async throws -> any StorageBackend {
        guard let configuration = etcdConfiguration else {
            return try SQLiteBackend(path: dataDir + "/state.db")
        }
        let backend = try EtcdBackend(configuration: configuration, logger: logger)
        do {
            try await backend.waitUntilReachable(timeout: .seconds(60))
        } catch {
            await backend.close()
            throw ValidationError("etcd at \(configuration.endpoints.joined(separator: ",")) does not answer: \(error)")
        }
        logger.info("storage: etcd", metadata: ["endpoints": "\(configuration.endpoints)", "prefix": "\(configuration.keyPrefix)"])
        return backend
    }
}
