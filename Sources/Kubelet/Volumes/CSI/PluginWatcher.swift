import CSI
import Foundation
import KubeAPI
import KubeClient
import Logging

/// The kubelet's plugin watcher for CSI drivers: sockets appearing in `<root>/plugins_registry`
/// are asked GetInfo; a CSI plugin's endpoint is dialled, asked NodeGetInfo and
/// NodeGetCapabilities, and registered; the plugin is told the outcome
/// (NotifyRegistrationStatus). The node gets the driver's node ID annotation
/// (`csi.volume.kubernetes.io/nodeid`) and its topology segments as labels, and the node's
/// CSINode an entry for the driver. A socket that goes away deregisters its driver.
struct PluginWatcher: Sendable {
    static let nodeIDAnnotation = "csi.volume.kubernetes.io/nodeid"

    let directory: String
    let registry: CSIDriverRegistry
    let client: KubeClient
    let nodeName: String
    let logger: Logger
    var scanPeriod: Duration = .milliseconds(500)

    func run() async {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var known: [String: String] = [:]          // socket path -> driver name
        var retryAt: [String: ContinuousClock.Instant] = [:]
        var nodeUpdates: [String: JSON] = [:]       // driver name -> node patch still to write
        var csiNodeUpdates: [String: CSINodeObject.Driver?] = [:]   // driver name -> entry to write (nil: remove)
        let csiNode = CSINodeWriter(client: client, node: nodeName)
        while !Task.isCancelled {
            let sockets = Set(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasSuffix(".sock") }.map { "\(directory)/\($0)" })
            for (path, name) in known where !sockets.contains(path) {
                known[path] = nil
                registry.deregister(name)
                csiNodeUpdates[name] = .some(nil)
                logger.info("CSI driver deregistered", metadata: ["driver": "\(name)"])
            }
            for path in sockets.sorted() where known[path] == nil {
                if let at = retryAt[path], ContinuousClock.now < at { continue }
                if let (name, patch, entry) = await register(path) {
                    known[path] = name
                    retryAt[path] = nil
                    nodeUpdates[name] = patch
                    csiNodeUpdates[name] = entry
                } else {
                    retryAt[path] = ContinuousClock.now + .seconds(1)
                }
            }
            for (name, patch) in nodeUpdates {
                if (try? await client.patch("/api/v1/nodes/\(nodeName)", patch, type: .strategic)) != nil { nodeUpdates[name] = nil }
            }
            for (name, entry) in csiNodeUpdates {
                let written = if let entry { await csiNode.add(entry) } else { await csiNode.remove(name) }
                if written { csiNodeUpdates[name] = nil }
            }
            try? await Task.sleep(for: scanPeriod)
        }
    }

    /// Registers the plugin behind one registration socket; answers its name, the node patch and
    /// its CSINode entry.
    private func register(_ socket: String) async -> (String, JSON, CSINodeObject.Driver)? {
        guard let reg = try? CSIConnection(endpoint: socket, timeout: .seconds(10)) else { return nil }
        defer { reg.close() }
        let info: Pluginregistration_PluginInfo
        do { info = try await reg.registration.getInfo(.init()) } catch {
            logger.debug("plugin socket did not answer GetInfo", metadata: ["socket": "\(socket)", "error": "\(error)"])
            return nil
        }
        func refuse(_ message: String) async -> (String, JSON, CSINodeObject.Driver)? {
            logger.warning("plugin not registered", metadata: ["socket": "\(socket)", "error": "\(message)"])
            _ = try? await reg.registration.notifyRegistrationStatus(.with { $0.pluginRegistered = false; $0.error = message })
            return nil
        }
        guard info.type == "CSIPlugin" else { return await refuse("plugin type \(info.type) is not supported by this kubelet") }
        guard info.supportedVersions.contains(where: { $0.hasPrefix("1.") || $0 == "1" }) else {
            return await refuse("none of the versions \(info.supportedVersions) is supported; this kubelet speaks CSI 1.x")
        }
        let endpoint = info.endpoint.isEmpty ? socket : info.endpoint
        let connection: CSIConnection
        do { connection = try CSIConnection(endpoint: endpoint) } catch { return await refuse("dial \(endpoint): \(error)") }
        do {
            let node = try await connection.node.nodeGetInfo(.init())
            let caps = try await connection.node.nodeGetCapabilities(.init())
            let stages = caps.capabilities.contains { if case .rpc(let r)? = $0.type { r.type == .stageUnstageVolume } else { false } }
            registry.register(.init(name: info.name, endpoint: endpoint, nodeID: node.nodeID,
                                    topology: node.accessibleTopology.segments, stagesVolumes: stages, connection: connection))
            _ = try? await reg.registration.notifyRegistrationStatus(.with { $0.pluginRegistered = true })
            logger.info("CSI driver registered", metadata: ["driver": "\(info.name)", "endpoint": "\(endpoint)", "nodeID": "\(node.nodeID)"])
            var labels = JSONObject()
            for (k, v) in node.accessibleTopology.segments.sorted(by: { $0.key < $1.key }) { labels[k] = .string(v) }
            let ids = JSONWriter.string(.object(JSONObject([(info.name, .string(node.nodeID))])))
            let patch: JSON = .object(JSONObject([("metadata", .object(JSONObject([
                ("labels", .object(labels)),
                ("annotations", .object(JSONObject([(Self.nodeIDAnnotation, .string(ids))]))),
            ])))]))
            let entry = CSINodeObject.Driver(name: info.name, nodeID: node.nodeID, topologyKeys: Array(node.accessibleTopology.segments.keys),
                                             maxVolumes: node.maxVolumesPerNode)
            return (info.name, patch, entry)
        } catch {
            connection.close()
            return await refuse("CSI driver \(info.name) at \(endpoint): \(CSIConnection.describe(error))")
        }
    }
}
