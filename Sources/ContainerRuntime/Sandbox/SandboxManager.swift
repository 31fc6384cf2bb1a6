import CNI
import CRI
import Foundation
import Logging

/// Pod sandboxes: namespaces, the CNI attachment, and the pod's files. Containers are the
/// container manager's; stopping a pod's containers is composed in `Runtime`.
struct SandboxManager: Sendable {
    let store: RecordStore<SandboxRecord>
    let namespaces: PodNamespaces
    let network: PodNetwork
    let directory: String
    let cgroupRoot: String
    let logger: Logger

    func run(_ config: Runtime_V1_PodSandboxConfig, handler: String) async throws -> String {
        let duplicate = await store.all().first { record in
            let other = record.config.metadata
            return other.name == config.metadata.name && other.namespace == config.metadata.namespace
                && other.uid == config.metadata.uid && other.attempt == config.metadata.attempt
        }
        if let duplicate {
            throw RuntimeError.alreadyExists("sandbox \(config.metadata.namespace)/\(config.metadata.name) attempt \(config.metadata.attempt) exists as \(duplicate.id)")
        }
        let id = RandomID.make()
        let options = config.linux.securityContext.namespaceOptions
        let hostNetwork = options.network == .node
        let podDirectory = directory + "/" + id
        try Files.mkdir(podDirectory)
        let created = try await namespaces.create(id, network: !hostNetwork, ipc: options.ipc != .node)
        var pid: (path: String, holder: Int32)?
        if options.pid == .pod {
            do { pid = try await namespaces.createPID(id) } catch {
                namespaces.remove(id)
                Files.remove(podDirectory)
                throw error
            }
        }
        var record = SandboxRecord(
            id: id, configData: try config.serializedData(), runtimeHandler: handler,
            createdAt: Timestamp.nanos(), state: .ready, netnsPath: created.net, ipcPath: created.ipc,
            pidnsPath: pid?.path, holderPID: pid?.holder, ips: [], cniResult: nil,
            cgroupParent: config.linux.cgroupParent.isEmpty ? "\(cgroupRoot)/\(id)" : config.linux.cgroupParent,
            directory: podDirectory)
        do {
            if let netns = created.net {
                let attachment = try await network.load().add(SandboxManager.runtimeConf(id: id, netns: netns, config: config))
                record.ips = attachment.result.addresses
                record.cniResult = attachment.raw
            }
            try writePodFiles(record, config: config)
            try await store.put(id, record)
        } catch {
            if let netns = created.net {
                try? await network.load().delete(SandboxManager.runtimeConf(id: id, netns: netns, config: config), previous: record.cniResult)
            }
            namespaces.remove(id)
            namespaces.removePID(id, holder: pid?.holder)
            Files.remove(podDirectory)
            throw error
        }
        logger.debug("sandbox ready", metadata: ["id": "\(id)", "ip": "\(record.ips.first ?? "host")"])
        return id
    }

    /// Detaches the network and releases the namespaces; the record stays, NotReady.
    func stop(_ id: String) async throws {
        guard let record = await store.get(id) else { throw RuntimeError.notFound("sandbox \(id) not found") }
        if let netns = record.netnsPath, record.state == .ready || Files.exists(netns) {
            try await network.load().delete(SandboxManager.runtimeConf(id: id, netns: netns, config: record.config), previous: record.cniResult)
        }
        namespaces.remove(id)
        namespaces.removePID(id, holder: record.holderPID)
        try await store.update(id) { $0.state = .notReady }
    }

    func remove(_ id: String) async {
        guard let record = await store.get(id) else { return }
        Files.remove(record.directory)
        await store.remove(id)
    }

    func writePodFiles(_ record: SandboxRecord, config: Runtime_V1_PodSandboxConfig) throws {
        let hostname = PodFiles.hostname(config)
        try Files.writeAtomically(Data((hostname + "\n").utf8), to: record.directory + "/hostname")
        try Files.writeAtomically(Data(PodFiles.hosts(hostname: hostname, ips: record.ips).utf8), to: record.directory + "/hosts")
        let resolv = PodFiles.resolvConf(config.hasDnsConfig ? config.dnsConfig : nil)
            ?? (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        try Files.writeAtomically(Data(resolv.utf8), to: record.directory + "/resolv.conf")
    }

    static func runtimeConf(id: String, netns: String, config: Runtime_V1_PodSandboxConfig) -> CNIRuntimeConf {
        CNIRuntimeConf(
            containerID: id, netns: netns,
            args: [("K8S_POD_NAMESPACE", config.metadata.namespace), ("K8S_POD_NAME", config.metadata.name),
                   ("K8S_POD_INFRA_CONTAINER_ID", id), ("K8S_POD_UID", config.metadata.uid)],
            portMappings: config.portMappings.filter { $0.hostPort > 0 }.map { mapping in
                CNIRuntimeConf.PortMapping(
                    hostPort: Int(mapping.hostPort), containerPort: Int(mapping.containerPort),
                    proto: mapping.protocol == .udp ? "udp" : mapping.protocol == .sctp ? "sctp" : "tcp",
                    hostIP: mapping.hostIp)
            })
    }
}
