import Foundation
import KubeAPI
import Storage
import Logging
import ServiceLifecycle

/// Compacts storage history and expires Events, as the API server does with etcd: history is
/// kept for `historyWindow`, Events for `eventTTL` (one hour by default). Events are written with
/// that TTL, so a backend that expires keys itself (etcd's leases) needs no sweep here.
public struct StorageMaintenance: Service {
    let store: ObjectStore
    let logger: Logger
    let eventTTL: TimeInterval
    let historyWindow: Duration
    let interval: Duration

    public init(store: ObjectStore, logger: Logger, eventTTL: TimeInterval = 3600,
                historyWindow: Duration = .seconds(300), interval: Duration = .seconds(30)) {
        self.store = store
        self.logger = logger
        self.eventTTL = eventTTL
        self.historyWindow = historyWindow
        self.interval = interval
    }

    static let events = ResourceCatalog.lookup(group: "", version: "v1", resource: "events")!

    public func run() async throws {
        var marks: [(ContinuousClock.Instant, Int64)] = []
        let clock = ContinuousClock()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            if !store.backend.expiresKeys { await expireEvents() }
            let now = clock.now
            marks.append((now, store.cache.revision))
            if let old = marks.last(where: { now - $0.0 >= historyWindow }) {
                do {
                    if old.1 > (try await store.backend.compactRevision()) {
                        try await store.backend.compact(revision: old.1)
                    }
                } catch StorageError.compacted {
                    // Another API server on the same store compacted at or past this revision first.
                } catch {
                    logger.warning("compaction failed", metadata: ["error": "\(error)"])
                }
                marks.removeAll { $0.0 <= old.0 }
            }
        }
    }

    func expireEvents() async {
        let cutoff = Date().addingTimeInterval(-eventTTL)
        for e in store.cache.list(WatchFilter(resource: Self.events, namespace: nil, labels: nil, fields: nil)).items {
            let obj = e.json
            let stamp = obj["lastTimestamp"]?.string ?? obj["eventTime"]?.string ?? obj[path: ["metadata", "creationTimestamp"]]?.string
            guard let s = stamp, let d = WallClock.parse(s), d < cutoff else { continue }
            _ = try? await store.backend.delete(e.key, expectedModRevision: nil)
        }
    }
}
