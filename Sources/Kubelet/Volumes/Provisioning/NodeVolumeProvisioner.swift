import CSI
import Foundation
import KubeAPI
import KubeClient
import Logging
import VolumeProvisioning

/// This node's volume provisioner, as external-provisioner runs in its node deployment beside a
/// node-local driver: claims of late-binding classes that the scheduler selected this node for
/// (found through the pods bound here) are provisioned through the driver registered on this
/// node (CreateVolume, then a PV with node affinity for this node's topology, which the PV
/// controller binds); released volumes of Delete policy whose node affinity is this node's are
/// deleted through the same driver (DeleteVolume, then the PV). Level-triggered on the pods,
/// volumes and classes it watches, re-deciding with `NodeProvisioningDecision`.
actor NodeVolumeProvisioner {
    private let client: KubeClient
    private let registry: CSIDriverRegistry
    private let node: String
    private let logger: Logger
    private let provisioner: VolumeProvisioner
    private let resyncPeriod: Duration

    private var pods: [String: JSON] = [:]       // uid; pods bound here that use claims
    private var volumes: [String: JSON] = [:]
    private var classes: [String: JSON] = [:]
    private var synced: Set<String> = []
    /// Pods whose claims were all seen bound: nothing left to provision for them.
    private var settled: Set<String> = []
    private var retries = RetrySchedule()
    private let loop = ReconcileLoop()

    init(client: KubeClient, registry: CSIDriverRegistry, node: String, logger: Logger, resyncPeriod: Duration = .seconds(2)) {
        self.client = client
        self.registry = registry
        self.node = node
        var logger = logger
        logger[metadataKey: "component"] = "volume-provisioner"
        self.logger = logger
        self.resyncPeriod = resyncPeriod
        provisioner = VolumeProvisioner(client: client, events: ClaimEvents(client: client, component: "csi-provisioner/\(node)", logger: logger),
                                        logger: logger)
    }

    /// Drivers register and go without an event of their own: the resync looks again.
    func run() async {
        await loop.run(resyncPeriod: resyncPeriod, watchers: [
            { await self.follow("pods", Reflector(client: self.client, path: "/api/v1/pods", fieldSelector: "spec.nodeName=\(self.node)")) },
            { await self.follow("volumes", Reflector(client: self.client, path: "/api/v1/persistentvolumes")) },
            { await self.follow("classes", Reflector(client: self.client, path: "/apis/storage.k8s.io/v1/storageclasses")) },
        ]) { await self.reconcile() }
    }

    private func follow(_ kind: String, _ reflector: Reflector) async {
        for await event in reflector.events() {
            switch kind {
            case "pods": Self.apply(event, to: &pods, key: "uid") { !NodeProvisioningDecision.claims(of: $0).isEmpty }
            case "volumes": Self.apply(event, to: &volumes, key: "name")
            default: Self.apply(event, to: &classes, key: "name")
            }
            if case .replaced = event { synced.insert(kind) }
            loop.wake()
        }
    }

    private static func apply(_ event: InformerEvent, to map: inout [String: JSON], key: String, keep: (JSON) -> Bool = { _ in true }) {
        func k(_ o: JSON) -> String { o[path: ["metadata", key]]?.string ?? "" }
        switch event {
        case .replaced(let items): map = Dictionary(items.filter(keep).map { (k($0), $0) }, uniquingKeysWith: { $1 })
        case .added(let o), .modified(let o): map[k(o)] = keep(o) ? o : nil
        case .deleted(let o): map[k(o)] = nil
        }
    }

    private func reconcile() async {
        guard synced.count == 3 else { return }
        settled.formIntersection(pods.keys)
        let drivers = Dictionary(registry.all.map { ($0.name, $0.topology) }, uniquingKeysWith: { $1 })
        guard !drivers.isEmpty else { return }
        for uid in pods.keys.sorted() where !settled.contains(uid) {
            guard let pod = pods[uid] else { continue }
            await sync(pod: pod, uid: uid, drivers: drivers)
        }
        for name in volumes.keys.sorted() {
            guard let pv = volumes[name], let (driver, handle) = NodeProvisioningDecision.deletion(of: pv, node: node, drivers: drivers) else { continue }
            await delete(name, driver: driver, handle: handle)
        }
    }

    private func sync(pod: JSON, uid: String, drivers: [String: [String: String]]) async {
        let ns = pod[path: ["metadata", "namespace"]]?.string ?? "default"
        var allBound = true
        for claimName in NodeProvisioningDecision.claims(of: pod) {
            guard let claim = try? await client.get("/api/v1/namespaces/\(ns)/persistentvolumeclaims/\(claimName)") else {
                allBound = false
                continue
            }
            if (claim[path: ["spec", "volumeName"]]?.string ?? "").isEmpty { allBound = false } else { continue }
            let storageClass = classes[VolumeMatching.className(claim)]
            guard let driver = NodeProvisioningDecision.provisioner(
                for: claim, storageClass: storageClass, consumerNode: node, node: node, drivers: drivers, volumes: Array(volumes.values)),
                let storageClass else { continue }
            await provision(claim, storageClass, driver: driver, topology: drivers[driver] ?? [:])
        }
        if allBound { settled.insert(uid) }
    }

    private func provision(_ claim: JSON, _ storageClass: JSON, driver: String, topology: [String: String]) async {
        let uid = claim[path: ["metadata", "uid"]]?.string ?? ""
        guard !retries.backingOff(uid), let connection = registry.driver(driver)?.connection else { return }
        switch await provisioner.provision(claim, storageClass, nodeLabels: topology, through: connection) {
        case .failed:
            retries.failed(uid)
        case .created(let pv):
            retries.succeeded(uid)
            if let pv, let name = pv[path: ["metadata", "name"]]?.string { volumes[name] = pv }
        }
    }

    private func delete(_ name: String, driver: String, handle: String) async {
        guard !retries.backingOff(name), let connection = registry.driver(driver)?.connection else { return }
        if await provisioner.delete(name, handle: handle, through: connection) {
            retries.succeeded(name)
            volumes[name] = nil
        } else {
            retries.failed(name)
        }
    }
}
