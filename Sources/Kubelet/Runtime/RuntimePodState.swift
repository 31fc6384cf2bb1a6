import Foundation

/// What the container runtime reports about one pod (CRI ListPodSandbox + ContainerStatus,
/// assembled by the PLEG). Sandboxes and containers are newest first, as upstream sorts them.
public struct RuntimePodState: Sendable, Equatable {
    public var sandboxes: [RuntimeSandbox]
    public var containers: [RuntimeContainer]

    public init(sandboxes: [RuntimeSandbox] = [], containers: [RuntimeContainer] = []) {
        self.sandboxes = sandboxes
        self.containers = containers.sorted { $0.createdAt > $1.createdAt }
    }

    /// The newest instance of a container by name (FindContainerStatusByName upstream).
    public func latest(_ name: String) -> RuntimeContainer? { containers.first { $0.name == name } }

    /// The IPs of the newest sandbox, only while it is ready.
    public var podIPs: [String] {
        guard let s = sandboxes.first, s.state == .ready else { return [] }
        return s.ips
    }
}

public struct RuntimeSandbox: Sendable, Equatable {
    public enum State: Sendable, Equatable { case ready, notReady }
    public var id: String
    public var attempt: UInt32
    public var state: State
    /// Primary IP first; empty for host-network pods.
    public var ips: [String]
    public var hostNetwork: Bool
    public var createdAt: Date

    public init(id: String, attempt: UInt32 = 0, state: State = .ready, ips: [String] = [],
                hostNetwork: Bool = false, createdAt: Date = .distantPast) {
        self.id = id
        self.attempt = attempt
        self.state = state
        self.ips = ips
        self.hostNetwork = hostNetwork
        self.createdAt = createdAt
    }
}

public struct RuntimeContainer: Sendable, Equatable {
    public enum State: Sendable, Equatable { case created, running, exited, unknown }

    public var id: String
    /// `containerd`, `skiff`…: the scheme of `containerID` in the pod status.
    public var runtimeName: String
    public var name: String
    /// The restart count recorded when this instance was created.
    public var attempt: Int
    public var state: State
    public var exitCode: Int32
    /// The runtime's reason for an exit: `Completed`, `Error`, `OOMKilled`, `StartError`…
    public var reason: String
    public var message: String
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var image: String
    public var imageRef: String
    /// `ContainerSpec.hash` of the spec the container was created from, from its labels.
    public var specHash: UInt32?

    public init(id: String, runtimeName: String = "skiff", name: String, attempt: Int = 0, state: State,
                exitCode: Int32 = 0, reason: String = "", message: String = "", createdAt: Date,
                startedAt: Date? = nil, finishedAt: Date? = nil, image: String = "", imageRef: String = "",
                specHash: UInt32? = nil) {
        self.id = id
        self.runtimeName = runtimeName
        self.name = name
        self.attempt = attempt
        self.state = state
        self.exitCode = exitCode
        self.reason = reason
        self.message = message
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.image = image
        self.imageRef = imageRef
        self.specHash = specHash
    }

    /// `<runtime>://<id>`, the form users see in `containerID`.
    public var containerID: String { "\(runtimeName)://\(id)" }

    /// Failed as an init container: non-zero exit, OOM kill, or lost (isInitContainerFailed upstream).
    var failedAsInit: Bool {
        reason == "OOMKilled" || (state == .exited && exitCode != 0) || state == .unknown
    }
}
