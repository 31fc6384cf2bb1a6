import KubeAPI

/// A host port a pod binds: (ip, protocol, port), with upstream's defaults (0.0.0.0, TCP).
public struct HostPort: Sendable, Hashable {
    public static let anyIP = "0.0.0.0"

    public var ip: String
    public var proto: String
    public var port: Int64

    public init(ip: String = HostPort.anyIP, proto: String = "TCP", port: Int64) {
        self.ip = ip.isEmpty ? Self.anyIP : ip
        self.proto = proto.isEmpty ? "TCP" : proto
        self.port = port
    }

    /// Host ports of the containers that run alongside the pod: app containers and sidecars.
    static func of(spec: JSON) -> [HostPort] {
        let sidecars = spec.objects("initContainers").filter { $0.string("restartPolicy") == "Always" }
        var out: [HostPort] = []
        for c in spec.objects("containers") + sidecars {
            for p in c.objects("ports") {
                guard let hostPort = p.int("hostPort"), hostPort > 0 else { continue }
                out.append(HostPort(ip: p.string("hostIP") ?? "", proto: p.string("protocol") ?? "", port: hostPort))
            }
        }
        return out
    }

    /// The (protocol, port) pair; a wildcard IP conflicts with every address on it.
    var slot: Slot { Slot(proto: proto, port: port) }

    struct Slot: Hashable, Sendable {
        var proto: String
        var port: Int64
    }
}

/// The host ports in use on a node, counted so that removing one pod's ports is exact.
public struct HostPortSet: Sendable, Hashable {
    private var uses: [HostPort: Int] = [:]
    /// Addresses bound per (protocol, port), for wildcard checks.
    private var bySlot: [HostPort.Slot: [String: Int]] = [:]

    public init() {}

    public var isEmpty: Bool { uses.isEmpty }

    mutating func add(_ ports: [HostPort]) {
        for p in ports {
            uses[p, default: 0] += 1
            bySlot[p.slot, default: [:]][p.ip, default: 0] += 1
        }
    }

    mutating func remove(_ ports: [HostPort]) {
        for p in ports {
            if let n = uses[p] { uses[p] = n > 1 ? n - 1 : nil }
            if var ips = bySlot[p.slot], let n = ips[p.ip] {
                ips[p.ip] = n > 1 ? n - 1 : nil
                bySlot[p.slot] = ips.isEmpty ? nil : ips
            }
        }
    }

    /// Whether `port` collides: same slot on the same address, or either side is the wildcard.
    func conflicts(_ port: HostPort) -> Bool {
        guard let ips = bySlot[port.slot] else { return false }
        if port.ip == HostPort.anyIP { return true }
        return ips[port.ip] != nil || ips[HostPort.anyIP] != nil
    }
}
