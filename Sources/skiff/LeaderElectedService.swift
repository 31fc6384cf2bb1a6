import Foundation
import KubeClient
import ServiceLifecycle

/// A control-plane component run only while this server holds the component's Lease (nil
/// elector: always); each term of leadership runs a fresh instance made by `work`.
struct LeaderElectedService: Service {
    let elector: LeaderElector?
    let work: @Sendable () async -> Void

    func run() async throws {
        if let elector {
            await cancelWhenGracefulShutdown { await elector.run(whileLeading: work) }
        } else {
            await cancelWhenGracefulShutdown { await work() }
        }
    }

    /// This server's candidate name: the host name and an id kept in the data directory, so a
    /// restarted server is the same candidate and takes its own lease back at once.
    static func identity(dataDir: String) -> String {
        let path = dataDir + "/leader-election.id"
        if let id = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           !id.isEmpty {
            return id
        }
        let id = "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased())"
        try? id.write(toFile: path, atomically: true, encoding: .utf8)
        return id
    }
}
