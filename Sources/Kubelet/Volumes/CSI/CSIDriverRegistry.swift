import CSI
import Synchronization

/// The CSI drivers registered with this kubelet through the plugin watcher, by name.
public final class CSIDriverRegistry: Sendable {
    public struct Driver: Sendable {
        public var name: String
        public var endpoint: String
        public var nodeID: String
        /// NodeGetInfo's accessible topology: the segments of this node's volumes.
        public var topology: [String: String] = [:]
        /// NodeGetCapabilities says STAGE_UNSTAGE_VOLUME: a global mount before the pod mounts.
        public var stagesVolumes: Bool
        public var connection: CSIConnection
    }

    private let drivers = Mutex<[String: Driver]>([:])

    public init() {}

    public func driver(_ name: String) -> Driver? { drivers.withLock { $0[name] } }

    public var names: [String] { drivers.withLock { Array($0.keys).sorted() } }

    public var all: [Driver] { drivers.withLock { $0.values.sorted { $0.name < $1.name } } }

    func register(_ d: Driver) {
        let old = drivers.withLock { all in
            let old = all[d.name]
            all[d.name] = d
            return old
        }
        if let old, old.connection !== d.connection { old.connection.close() }
    }

    func deregister(_ name: String) {
        drivers.withLock { $0.removeValue(forKey: name) }?.connection.close()
    }

    /// Waits up to `timeout` for a driver to be registered (a kubelet restarting before its drivers).
    func waitFor(_ name: String, timeout: Duration) async -> Driver? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let d = driver(name) { return d }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
