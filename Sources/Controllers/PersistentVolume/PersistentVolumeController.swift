import CSI
import Foundation
import KubeAPI
import KubeClient
import Logging
import VolumeProvisioning

/// Binds claims to volumes, provisions volumes through CSI drivers for claims of their classes
/// (Immediate, or WaitForFirstConsumer once the claim's pod has a node), reclaims released
/// volumes (Delete calls DeleteVolume, Retain keeps them) and lifts the pvc- and pv-protection
/// finalizers when nothing uses an object being deleted. Level-triggered: every change of a
/// claim, volume, class, node or claim-using pod re-decides everything from the caches
/// (`ClaimDecision`, `VolumeDecision`). Talks REST to the API server and gRPC to the drivers.
public actor PersistentVolumeController {
    public struct Configuration: Sendable {
        /// Driver name → its CSI controller endpoint.
        public var provisioners: [String: String] = [:]
        /// The claims and volumes those drivers serve: Immediate claims, and late-binding ones only
        /// of the node they run on (other nodes' kubelets provision theirs).
        public var scope: ProvisioningScope = .central()
        public var resyncPeriod: Duration = .seconds(15)
        public init() {}
    }

    private let client: KubeClient
    private let configuration: Configuration
    private let logger: Logger
    private let events: ClaimEvents
    private var connections: [String: CSIConnection] = [:]

    private var claims: [String: JSON] = [:]      // namespace/name
    private var volumes: [String: JSON] = [:]
    private var classes: [String: JSON] = [:]
    private var nodes: [String: JSON] = [:]
    private var pods: [String: JSON] = [:]        // uid; only pods that use claims
    private var synced: Set<String> = []
    private static let kinds: Set<String> = ["claims", "volumes", "classes", "nodes", "pods"]

    private var retries = RetrySchedule()
    private let loop = ReconcileLoop()
    private let provisioner: VolumeProvisioner

    public init(client: KubeClient, configuration: Configuration, logger: Logger) throws {
        self.client = client
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "component"] = "persistentvolume-controller"
        self.logger = logger
        events = ClaimEvents(client: client, logger: logger)
        provisioner = VolumeProvisioner(client: client, events: events, logger: logger)
        for (driver, endpoint) in configuration.provisioners { connections[driver] = try CSIConnection(endpoint: endpoint) }
    }

    public func run() async {
        defer { for c in connections.values { c.close() } }
        await loop.run(resyncPeriod: configuration.resyncPeriod, watchers: [
            { await self.follow("claims", "/api/v1/persistentvolumeclaims") },
            { await self.follow("volumes", "/api/v1/persistentvolumes") },
            { await self.follow("classes", "/apis/storage.k8s.io/v1/storageclasses") },
            { await self.follow("nodes", "/api/v1/nodes") },
            { await self.follow("pods", "/api/v1/pods") },
        ]) { await self.reconcile() }
    }

    private func follow(_ kind: String, _ path: String) async {
        for await event in Reflector(client: client, path: path).events() { apply(kind, event) }
    }

    private func apply(_ kind: String, _ event: InformerEvent) {
        switch event {
        case .replaced(let items):
            replace(kind, items)
            synced.insert(kind)
        case .added(let o), .modified(let o):
            guard store(kind, o) else { return }
        case .deleted(let o):
            guard remove(kind, o) else { return }
        }
        loop.wake()
    }

    private static func key(_ o: JSON) -> String {
        let meta = o["metadata"] ?? [:]
        return "\(meta.string("namespace") ?? "default")/\(meta.string("name") ?? "")"
    }

    private static func usesClaims(_ pod: JSON) -> Bool {
        (pod[path: ["spec", "volumes"]]?.array ?? []).contains { $0["persistentVolumeClaim"] != nil }
    }

    private func replace(_ kind: String, _ items: [JSON]) {
        switch kind {
        case "claims": claims = Dictionary(items.map { (Self.key($0), $0) }, uniquingKeysWith: { $1 })
        case "volumes": volumes = Dictionary(items.map { ($0[path: ["metadata", "name"]]?.string ?? "", $0) }, uniquingKeysWith: { $1 })
        case "classes": classes = Dictionary(items.map { ($0[path: ["metadata", "name"]]?.string ?? "", $0) }, uniquingKeysWith: { $1 })
        case "nodes": nodes = Dictionary(items.map { ($0[path: ["metadata", "name"]]?.string ?? "", $0) }, uniquingKeysWith: { $1 })
        default: pods = Dictionary(items.filter(Self.usesClaims).map { ($0[path: ["metadata", "uid"]]?.string ?? "", $0) }, uniquingKeysWith: { $1 })
        }
    }

    /// Answers whether the change matters to a decision.
    private func store(_ kind: String, _ o: JSON) -> Bool {
        let name = o[path: ["metadata", "name"]]?.string ?? ""
        switch kind {
        case "claims": claims[Self.key(o)] = o
        case "volumes": volumes[name] = o
        case "classes": classes[name] = o
        case "nodes":
            let labelsChanged = nodes[name]?[path: ["metadata", "labels"]] != o[path: ["metadata", "labels"]]
            nodes[name] = o
            return labelsChanged
        default:
            guard Self.usesClaims(o), let uid = o[path: ["metadata", "uid"]]?.string else { return false }
            let before = pods[uid]
            pods[uid] = o
            return before?[path: ["spec", "nodeName"]] != o[path: ["spec", "nodeName"]]
                || before?[path: ["status", "phase"]] != o[path: ["status", "phase"]] || before == nil
        }
        return true
    }

    private func remove(_ kind: String, _ o: JSON) -> Bool {
        let name = o[path: ["metadata", "name"]]?.string ?? ""
        switch kind {
        case "claims":
            claims[Self.key(o)] = nil
            if let uid = o[path: ["metadata", "uid"]]?.string { Task { await events.forget(uid: uid) } }
        case "volumes": volumes[name] = nil
        case "classes": classes[name] = nil
        case "nodes": nodes[name] = nil
        default:
            guard let uid = o[path: ["metadata", "uid"]]?.string, pods.removeValue(forKey: uid) != nil else { return false }
        }
        return true
    }

    // Reconciling.

    private func reconcile() async {
        guard synced == Self.kinds else { return }
        for key in claims.keys.sorted() {
            guard let claim = claims[key] else { continue }
            await sync(claim: claim)
        }
        for name in volumes.keys.sorted() {
            guard let pv = volumes[name] else { continue }
            await sync(volume: pv)
        }
    }

    private func consumers(of claim: JSON) -> [JSON] {
        let meta = claim["metadata"] ?? [:]
        let ns = meta.string("namespace") ?? "default", name = meta.string("name") ?? ""
        return pods.values.filter { pod in
            (pod[path: ["metadata", "namespace"]]?.string ?? "default") == ns
                && !["Succeeded", "Failed"].contains(pod[path: ["status", "phase"]]?.string ?? "")
                && (pod[path: ["spec", "volumes"]]?.array ?? []).contains { $0[path: ["persistentVolumeClaim", "claimName"]]?.string == name }
        }
    }

    private func sync(claim: JSON) async {
        let users = consumers(of: claim)
        let node = users.lazy.compactMap { $0[path: ["spec", "nodeName"]]?.string }.first { !$0.isEmpty }
        let ctx = ClaimContext(volumes: volumes, classes: classes, provisioners: Set(connections.keys), inUse: !users.isEmpty,
                               consumerNode: node, scope: configuration.scope)
        let action = ClaimDecision.decide(claim, ctx)
        switch action {
        case .none:
            return
        case .bind(let name):
            guard let pv = volumes[name] else { return }
            await bind(claim, pv, byController: true)
        case .completeBinding(let name):
            guard let pv = volumes[name] else { return }
            await bind(claim, pv, byController: pv[path: ["metadata", "annotations", StorageKeys.provisionedBy]] == nil)
        case .provision(let className, let node):
            guard let storageClass = classes[className] else { return }
            await provision(claim, storageClass, node: node)
        case .waitForFirstConsumer:
            note(claim, type: "Normal", reason: "WaitForFirstConsumer", message: "waiting for first consumer to be created before binding")
        case .fail(let reason, let message):
            note(claim, type: reason == "ExternalProvisioning" ? "Normal" : "Warning", reason: reason, message: message)
        case .releaseProtection:
            await dropFinalizer(claim, StorageKeys.pvcProtection,
                                path: "/api/v1/namespaces/\(claim[path: ["metadata", "namespace"]]?.string ?? "default")/persistentvolumeclaims/\(claim[path: ["metadata", "name"]]?.string ?? "")")
        }
    }

    private func sync(volume pv: JSON) async {
        let name = pv[path: ["metadata", "name"]]?.string ?? ""
        let claim = pv[path: ["spec", "claimRef"]].flatMap { ref -> JSON? in
            claims["\(ref.string("namespace") ?? "default")/\(ref.string("name") ?? "")"]
        }
        switch VolumeDecision.decide(pv, claim: claim) {
        case .none:
            return
        case .setPhase(let phase):
            await setVolumePhase(name, phase)
        case .delete:
            await reclaim(pv)
        case .releaseProtection:
            await dropFinalizer(pv, StorageKeys.pvProtection, path: "/api/v1/persistentvolumes/\(name)")
        }
    }

    // Writes.

    /// Both halves of a binding, each written only if not already so (bind() upstream).
    private func bind(_ claim: JSON, _ pv: JSON, byController: Bool) async {
        let cmeta = claim["metadata"] ?? [:]
        let ns = cmeta.string("namespace") ?? "default", claimName = cmeta.string("name") ?? ""
        let pvName = pv[path: ["metadata", "name"]]?.string ?? ""
        do {
            var pv = pv
            if pv[path: ["spec", "claimRef", "uid"]]?.string != cmeta.string("uid") {
                let ref: JSON = .object(JSONObject([
                    ("kind", "PersistentVolumeClaim"), ("namespace", .string(ns)), ("name", .string(claimName)),
                    ("uid", .string(cmeta.string("uid") ?? "")), ("apiVersion", "v1"),
                    ("resourceVersion", .string(cmeta.string("resourceVersion") ?? "")),
                ]))
                var metaPatch = JSONObject([("resourceVersion", pv[path: ["metadata", "resourceVersion"]] ?? .null)])
                if byController { metaPatch["annotations"] = .object(JSONObject([(StorageKeys.boundByController, "yes")])) }
                pv = try await client.patch("/api/v1/persistentvolumes/\(pvName)",
                                            .object(JSONObject([("metadata", .object(metaPatch)), ("spec", .object(JSONObject([("claimRef", ref)])))])),
                                            type: .merge)
                volumes[pvName] = pv
            }
            var claim = claim
            let annotations = cmeta.stringMap("annotations")
            let provisioner = pv[path: ["metadata", "annotations", StorageKeys.provisionedBy]]?.string
            if claim[path: ["spec", "volumeName"]]?.string != pvName || annotations[StorageKeys.bindCompleted] != "yes" {
                var add = JSONObject([(StorageKeys.bindCompleted, "yes")])
                if byController { add[StorageKeys.boundByController] = "yes" }
                if let provisioner {
                    add[StorageKeys.storageProvisioner] = .string(provisioner)
                    add[StorageKeys.betaStorageProvisioner] = .string(provisioner)
                }
                claim = try await client.patch("/api/v1/namespaces/\(ns)/persistentvolumeclaims/\(claimName)", .object(JSONObject([
                    ("metadata", .object(JSONObject([("resourceVersion", cmeta["resourceVersion"] ?? .null), ("annotations", .object(add))]))),
                    ("spec", .object(JSONObject([("volumeName", .string(pvName))]))),
                ])), type: .merge)
                claims["\(ns)/\(claimName)"] = claim
            }
            if claim[path: ["status", "phase"]]?.string != "Bound" {
                claim = try await client.patch("/api/v1/namespaces/\(ns)/persistentvolumeclaims/\(claimName)/status", .object(JSONObject([
                    ("status", .object(JSONObject([
                        ("phase", "Bound"), ("accessModes", pv[path: ["spec", "accessModes"]] ?? []),
                        ("capacity", pv[path: ["spec", "capacity"]] ?? [:]),
                    ]))),
                ])), type: .merge)
                claims["\(ns)/\(claimName)"] = claim
                logger.info("claim bound", metadata: ["claim": "\(ns)/\(claimName)", "volume": "\(pvName)"])
            }
            // The volume's phase last: a pod waits only for its claim, and a pass that finds the
            // claim Bound but the volume not yet finishes it.
            if pv[path: ["status", "phase"]]?.string != "Bound" {
                pv = try await client.patch("/api/v1/persistentvolumes/\(pvName)/status",
                                            .object(JSONObject([("status", .object(JSONObject([("phase", "Bound")])))])), type: .merge)
                volumes[pvName] = pv
            }
        } catch let e as KubeClientError where e.isConflict || e.isNotFound {
            // A newer version is on its way through the watch; the next pass decides again.
        } catch {
            logger.warning("binding not written", metadata: ["claim": "\(ns)/\(claimName)", "volume": "\(pvName)", "error": "\(error)"])
        }
    }

    /// An event written without holding up the pass.
    private func note(_ claim: JSON, type: String, reason: String, message: String) {
        let events = self.events
        Task { await events.emit(claim, type: type, reason: reason, message: message) }
    }

    /// A failure: tried again once its backoff is over.
    private func failed(_ key: String) {
        let delay = retries.failed(key)
        let loop = self.loop
        Task {
            try? await Task.sleep(for: delay)
            loop.wake()
        }
    }

    private func provision(_ claim: JSON, _ storageClass: JSON, node: String?) async {
        let uid = claim[path: ["metadata", "uid"]]?.string ?? ""
        guard !retries.backingOff(uid) else { return }
        guard let connection = connections[storageClass.string("provisioner") ?? ""] else { return }
        var nodeLabels: [String: String]?
        if let node {
            guard let n = nodes[node] else {
                await events.emit(claim, type: "Warning", reason: "ProvisioningFailed", message: "failed to get target node: node \"\(node)\" not found")
                failed(uid)
                return
            }
            nodeLabels = (n["metadata"] ?? [:]).stringMap("labels")
        }
        switch await provisioner.provision(claim, storageClass, nodeLabels: nodeLabels, through: connection) {
        case .failed:
            failed(uid)
        case .created(let pv):
            retries.succeeded(uid)
            guard let pv, let pvName = pv[path: ["metadata", "name"]]?.string else { return }
            volumes[pvName] = pv
            await bind(claim, pv, byController: false)
        }
    }

    private func setVolumePhase(_ name: String, _ phase: String) async {
        do {
            volumes[name] = try await client.patch("/api/v1/persistentvolumes/\(name)/status",
                                                   .object(JSONObject([("status", .object(JSONObject([("phase", .string(phase))])))])), type: .merge)
        } catch {
            logger.debug("volume phase not written", metadata: ["volume": "\(name)", "error": "\(error)"])
        }
    }

    /// Reclaim policy Delete: the claim is really gone (asked again, not just the cache), the
    /// driver deletes the storage, then the PV goes (its protection lifts once it is Released).
    /// A volume of another node's driver is only marked Released: that node's kubelet deletes it.
    private func reclaim(_ pv: JSON) async {
        let name = pv[path: ["metadata", "name"]]?.string ?? ""
        guard !retries.backingOff(name) else { return }
        let ours = configuration.scope.reclaims(pv)
        if !ours, pv[path: ["status", "phase"]]?.string == "Released" { return }
        if let ref = pv[path: ["spec", "claimRef"]],
           let claim = try? await client.get("/api/v1/namespaces/\(ref.string("namespace") ?? "default")/persistentvolumeclaims/\(ref.string("name") ?? "")"),
           claim[path: ["metadata", "uid"]]?.string == ref.string("uid") {
            return
        }
        if pv[path: ["status", "phase"]]?.string != "Released" { await setVolumePhase(name, "Released") }
        guard ours else { return }
        let connection = pv[path: ["metadata", "annotations", StorageKeys.provisionedBy]]?.string.flatMap { connections[$0] }
        if await provisioner.delete(name, handle: pv[path: ["spec", "csi", "volumeHandle"]]?.string, through: connection) {
            retries.succeeded(name)
        } else {
            failed(name)
        }
    }

    private func dropFinalizer(_ o: JSON, _ finalizer: String, path: String) async {
        let rest = (o[path: ["metadata", "finalizers"]]?.array ?? []).filter { $0.string != finalizer }
        let patch: JSON = .object(JSONObject([("metadata", .object(JSONObject([
            ("resourceVersion", o[path: ["metadata", "resourceVersion"]] ?? .null), ("finalizers", .array(rest)),
        ])))]))
        do { _ = try await client.patch(path, patch, type: .merge) } catch {
            logger.debug("finalizer not removed", metadata: ["object": "\(path)", "error": "\(error)"])
        }
    }
}
