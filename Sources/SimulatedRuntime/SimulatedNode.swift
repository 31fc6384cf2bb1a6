import CRI
import Synchronization

/// The whole state of one simulated node's runtime, in memory: sandboxes get an address from the
/// node's pod range and no namespace, containers "run" from StartContainer until StopContainer,
/// images are present as soon as they are pulled. Nothing touches the host. The clock is
/// injected (nanoseconds since the epoch) so the lifecycle can be tested without waiting.
public final class SimulatedNode: Sendable {
    struct Sandbox {
        var id: String
        var config: Runtime_V1_PodSandboxConfig
        var handler: String
        var ready: Bool
        var ip: String
        var createdAt: Int64
        var state: Runtime_V1_PodSandboxState { ready ? .sandboxReady : .sandboxNotready }
    }

    struct Container {
        var id: String
        var sandboxID: String
        var config: Runtime_V1_ContainerConfig
        var imageRef: String
        var state: Runtime_V1_ContainerState
        var createdAt: Int64
        var startedAt: Int64 = 0
        var finishedAt: Int64 = 0
        var exitCode: Int32 = 0
        var reason = ""
    }

    struct State {
        var sandboxes: [String: Sandbox] = [:]
        var containers: [String: Container] = [:]
        var images: [String: Runtime_V1_Image] = [:]
        var addresses: PodAddressPool
        var serial: UInt64 = 0
    }

    private let state: Mutex<State>
    private let clock: @Sendable () -> Int64
    /// Bytes each pulled image is said to take.
    public static let imageSize: UInt64 = 1 << 20

    public init(addresses: PodAddressPool, clock: @escaping @Sendable () -> Int64) {
        state = Mutex(State(addresses: addresses))
        self.clock = clock
    }

    // MARK: sandboxes

    public func runSandbox(_ config: Runtime_V1_PodSandboxConfig, handler: String) throws(SimulatedError) -> String {
        let now = clock()
        return try state.withLock { s throws(SimulatedError) in
            // The kubelet retries a sandbox it lost track of with the same attempt: answer the same one.
            if let existing = s.sandboxes.values.first(where: {
                $0.config.metadata.uid == config.metadata.uid && $0.config.metadata.attempt == config.metadata.attempt && $0.ready
            }) { return existing.id }
            let hostNetwork = config.linux.securityContext.namespaceOptions.network == .node
            var ip = ""
            if !hostNetwork {
                guard let next = s.addresses.allocate() else { throw .exhausted("no free pod address in \(s.addresses.cidr)") }
                ip = next
            }
            let id = Self.identifier(&s.serial, now)
            s.sandboxes[id] = Sandbox(id: id, config: config, handler: handler, ready: true, ip: ip, createdAt: now)
            return id
        }
    }

    public func stopSandbox(_ id: String) throws(SimulatedError) {
        let now = clock()
        try state.withLock { s throws(SimulatedError) in
            guard let full = Self.resolve(id, in: s.sandboxes) else { throw .notFound("pod sandbox \(id) not found") }
            for (cid, c) in s.containers where c.sandboxID == full && c.state != .containerExited {
                s.containers[cid] = Self.exited(c, at: now, code: 137, reason: "Error")
            }
            if let ip = s.sandboxes[full]?.ip, !ip.isEmpty { s.addresses.release(ip) }
            s.sandboxes[full]?.ready = false
            s.sandboxes[full]?.ip = ""
        }
    }

    /// Removing a sandbox that is already gone succeeds, as CRI asks.
    public func removeSandbox(_ id: String) {
        state.withLock { s in
            guard let full = Self.resolve(id, in: s.sandboxes) else { return }
            if let ip = s.sandboxes[full]?.ip, !ip.isEmpty { s.addresses.release(ip) }
            s.sandboxes[full] = nil
            s.containers = s.containers.filter { $0.value.sandboxID != full }
        }
    }

    public func sandboxStatus(_ id: String) throws(SimulatedError) -> Runtime_V1_PodSandboxStatus {
        try state.withLock { s throws(SimulatedError) in
            guard let full = Self.resolve(id, in: s.sandboxes), let sb = s.sandboxes[full] else {
                throw .notFound("pod sandbox \(id) not found")
            }
            return .with {
                $0.id = sb.id
                $0.metadata = sb.config.metadata
                $0.state = sb.state
                $0.createdAt = sb.createdAt
                $0.labels = sb.config.labels
                $0.annotations = sb.config.annotations
                $0.runtimeHandler = sb.handler
                if !sb.ip.isEmpty { $0.network.ip = sb.ip }
                $0.linux.namespaces.options = sb.config.linux.securityContext.namespaceOptions
            }
        }
    }

    public func sandboxes(_ filter: Runtime_V1_PodSandboxFilter) -> [Runtime_V1_PodSandbox] {
        state.withLock { s in
            s.sandboxes.values
                .filter { filter.id.isEmpty || $0.id.hasPrefix(filter.id) }
                .filter { !filter.hasState || $0.state == filter.state.state }
                .filter { Self.matches($0.config.labels, filter.labelSelector) }
                .sorted { $0.createdAt < $1.createdAt }
                .map { sb in
                    .with {
                        $0.id = sb.id
                        $0.metadata = sb.config.metadata
                        $0.state = sb.state
                        $0.createdAt = sb.createdAt
                        $0.labels = sb.config.labels
                        $0.annotations = sb.config.annotations
                        $0.runtimeHandler = sb.handler
                    }
                }
        }
    }

    // MARK: containers

    public func createContainer(in sandboxID: String, _ config: Runtime_V1_ContainerConfig) throws(SimulatedError) -> String {
        let now = clock()
        return try state.withLock { s throws(SimulatedError) in
            guard let full = Self.resolve(sandboxID, in: s.sandboxes), s.sandboxes[full]?.ready == true else {
                throw .notFound("pod sandbox \(sandboxID) not found or not ready")
            }
            guard !config.image.image.isEmpty else { throw .invalidArgument("image is required") }
            guard let image = Self.image(config.image.image, in: s.images) else {
                throw .notFound("image \"\(config.image.image)\" not present")
            }
            let id = Self.identifier(&s.serial, now)
            s.containers[id] = Container(id: id, sandboxID: full, config: config, imageRef: image.id,
                                         state: .containerCreated, createdAt: now)
            return id
        }
    }

    public func startContainer(_ id: String) throws(SimulatedError) {
        let now = clock()
        try state.withLock { s throws(SimulatedError) in
            guard let full = Self.resolve(id, in: s.containers), var c = s.containers[full] else { throw .notFound("container \(id) not found") }
            guard c.state == .containerCreated else { throw .failedPrecondition("container \(id) is not in the created state") }
            c.state = .containerRunning
            c.startedAt = now
            s.containers[full] = c
        }
    }

    /// A stop ends the container at once; it exits 137, as a container killed after its grace period would.
    public func stopContainer(_ id: String) throws(SimulatedError) {
        let now = clock()
        try state.withLock { s throws(SimulatedError) in
            guard let full = Self.resolve(id, in: s.containers), let c = s.containers[full] else { throw .notFound("container \(id) not found") }
            guard c.state != .containerExited else { return }
            s.containers[full] = Self.exited(c, at: now, code: c.state == .containerRunning ? 137 : 0,
                                             reason: c.state == .containerRunning ? "Error" : "")
        }
    }

    public func removeContainer(_ id: String) {
        state.withLock { s in
            if let full = Self.resolve(id, in: s.containers) { s.containers[full] = nil }
        }
    }

    public func containers(_ filter: Runtime_V1_ContainerFilter) -> [Runtime_V1_Container] {
        state.withLock { s in
            s.containers.values
                .filter { filter.id.isEmpty || $0.id.hasPrefix(filter.id) }
                .filter { filter.podSandboxID.isEmpty || $0.sandboxID.hasPrefix(filter.podSandboxID) }
                .filter { !filter.hasState || $0.state == filter.state.state }
                .filter { Self.matches($0.config.labels, filter.labelSelector) }
                .sorted { $0.createdAt < $1.createdAt }
                .map { c in
                    .with {
                        $0.id = c.id
                        $0.podSandboxID = c.sandboxID
                        $0.metadata = c.config.metadata
                        $0.image = c.config.image
                        $0.imageRef = c.imageRef
                        $0.imageID = c.imageRef
                        $0.state = c.state
                        $0.createdAt = c.createdAt
                        $0.labels = c.config.labels
                        $0.annotations = c.config.annotations
                    }
                }
        }
    }

    public func containerStatus(_ id: String) throws(SimulatedError) -> Runtime_V1_ContainerStatus {
        try state.withLock { s throws(SimulatedError) in
            guard let full = Self.resolve(id, in: s.containers), let c = s.containers[full] else { throw .notFound("container \(id) not found") }
            return .with {
                $0.id = c.id
                $0.metadata = c.config.metadata
                $0.state = c.state
                $0.createdAt = c.createdAt
                $0.startedAt = c.startedAt
                $0.finishedAt = c.finishedAt
                $0.exitCode = c.exitCode
                $0.image = c.config.image
                $0.imageRef = c.imageRef
                $0.imageID = c.imageRef
                $0.reason = c.reason
                $0.labels = c.config.labels
                $0.annotations = c.config.annotations
                $0.mounts = c.config.mounts
                $0.logPath = c.config.logPath
            }
        }
    }

    /// Exec in a running container "succeeds" with no output: probes of simulated pods pass.
    public func execSync(_ id: String) throws(SimulatedError) -> Runtime_V1_ExecSyncResponse {
        try state.withLock { s throws(SimulatedError) in
            guard let full = Self.resolve(id, in: s.containers), let c = s.containers[full] else { throw .notFound("container \(id) not found") }
            guard c.state == .containerRunning else { throw .failedPrecondition("container \(id) is not running") }
            return .init()
        }
    }

    public var counts: (sandboxes: Int, containers: Int, running: Int) {
        state.withLock { s in (s.sandboxes.count, s.containers.count, s.containers.values.filter { $0.state == .containerRunning }.count) }
    }

    // MARK: images

    public func pull(_ reference: String) throws(SimulatedError) -> String {
        guard !reference.isEmpty, !reference.contains(" ") else { throw .invalidArgument("invalid image reference \"\(reference)\"") }
        return state.withLock { s in
            if let existing = Self.image(reference, in: s.images) { return existing.id }
            let id = "sha256:" + StableDigest.hex(of: reference)
            s.images[reference] = .with {
                $0.id = id
                $0.repoTags = [reference]
                $0.size = Self.imageSize
                $0.spec.image = id
            }
            return id
        }
    }

    public func imageStatus(_ reference: String) -> Runtime_V1_Image? {
        state.withLock { s in Self.image(reference, in: s.images) }
    }

    public func images() -> [Runtime_V1_Image] {
        state.withLock { s in s.images.values.sorted { $0.id < $1.id } }
    }

    public func removeImage(_ reference: String) {
        state.withLock { s in
            if let image = Self.image(reference, in: s.images) { s.images = s.images.filter { $0.value.id != image.id } }
        }
    }

    /// A machine id (32 hex digits) that stays the same for a node name across restarts.
    public static func machineID(forNode name: String) -> String {
        String(StableDigest.hex(of: "machine:" + name).prefix(32))
    }

    // MARK: helpers

    private static func image(_ reference: String, in images: [String: Runtime_V1_Image]) -> Runtime_V1_Image? {
        images[reference] ?? images.values.first { $0.id == reference }
    }

    private static func exited(_ c: Container, at now: Int64, code: Int32, reason: String) -> Container {
        var c = c
        c.state = .containerExited
        c.finishedAt = now
        c.exitCode = code
        c.reason = reason
        return c
    }

    /// Full id or a unique prefix, as runtimes accept.
    private static func resolve<V>(_ id: String, in table: [String: V]) -> String? {
        if table[id] != nil { return id }
        guard !id.isEmpty else { return nil }
        let hits = table.keys.filter { $0.hasPrefix(id) }
        return hits.count == 1 ? hits[0] : nil
    }

    private static func matches(_ labels: [String: String], _ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }

    /// 64 hex digits, like the ids real runtimes hand out.
    private static func identifier(_ serial: inout UInt64, _ now: Int64) -> String {
        serial += 1
        return StableDigest.hex(of: "\(now)-\(serial)-\(UInt64.random(in: .min ... .max))")
    }
}
