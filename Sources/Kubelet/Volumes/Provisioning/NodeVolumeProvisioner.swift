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
    private let events: ClaimEvents
    private let resyncPeriod: Duration

    private var pods: [String: JSON] = [:]       // uid; pods bound here that use claims
    private var volumes: [String: JSON] = [:]
    private var classes: [String: JSON] = [:]
    private var synced: Set<String> = []
    /// Pods whose claims were all seen bound: nothing left to provision for them.
    private var settled: Set<String> = []
    private var retryAt: [String: ContinuousClock.Instant] = [:]
    private var failures: [String: Int] = [:]
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    init(client: KubeClient, registry: CSIDriverRegistry, node: String, logger: Logger, resyncPeriod: Duration = .seconds(2)) {
        self.client = client
        self.registry = registry
        self.node = node
        var logger = logger
        logger[metadataKey: "component"] = "volume-provisioner"
        self.logger = logger
        self.resyncPeriod = resyncPeriod
        events = ClaimEvents(client: client, component: "csi-provisioner/\(node)", logger: logger)
        (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.follow("pods", Reflector(client: self.client, path: "/api/v1/pods", fieldSelector: "spec.nodeName=\(self.node)")) }
            group.addTask { await self.follow("volumes", Reflector(client: self.client, path: "/api/v1/persistentvolumes")) }
            group.addTask { await self.follow("classes", Reflector(client: self.client, path: "/apis/storage.k8s.io/v1/storageclasses")) }
            group.addTask {
                // Drivers register and go without an event of their own: look again now and then.
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.resyncPeriod)
                    self.wake.yield()
                }
            }
            group.addTask {
                for await _ in self.wakes {
                    if Task.isCancelled { break }
                    await self.reconcile()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func follow(_ kind: String, _ reflector: Reflector) async {
        for await event in reflector.events() {
            switch kind {
            case "pods": Self.apply(event, to: &pods, key: "uid") { !NodeProvisioningDecision.claims(of: $0).isEmpty }
            case "volumes": Self.apply(event, to: &volumes, key: "name")
            default: Self.apply(event, to: &classes, key: "name")
            }
            if case .replaced = event { synced.insert(kind) }
            wake.yield()
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
            await delete(pv, name: name, driver: driver, handle: handle)
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

    private func backingOff(_ key: String) -> Bool { retryAt[key].map { ContinuousClock.now < $0 } ?? false }

    private func failed(_ key: String) {
        let n = (failures[key] ?? 0) + 1
        failures[key] = n
        retryAt[key] = ContinuousClock.now + .seconds(min(300, 1 << min(n - 1, 9)))
    }

    private func succeeded(_ key: String) {
        failures[key] = nil
        retryAt[key] = nil
    }

    private func provision(_ claim: JSON, _ storageClass: JSON, driver: String, topology: [String: String]) async {
        let uid = claim[path: ["metadata", "uid"]]?.string ?? ""
        guard !backingOff(uid), let connection = registry.driver(driver)?.connection else { return }
        let ns = claim[path: ["metadata", "namespace"]]?.string ?? "default", name = claim[path: ["metadata", "name"]]?.string ?? ""
        let className = storageClass[path: ["metadata", "name"]]?.string ?? ""
        await events.emit(claim, type: "Normal", reason: "Provisioning",
                          message: "External provisioner is provisioning volume for claim \"\(ns)/\(name)\" on node \"\(node)\"")
        let volume: Csi_V1_Volume
        do {
            volume = try await connection.controller.createVolume(ProvisionRequest.create(claim, storageClass: storageClass, nodeLabels: topology)).volume
        } catch {
            await events.emit(claim, type: "Warning", reason: "ProvisioningFailed",
                              message: "failed to provision volume with StorageClass \"\(className)\": \(CSIConnection.describe(error))")
            failed(uid)
            return
        }
        let fsType = storageClass.stringMap("parameters")["csi.storage.k8s.io/fstype"] ?? ""
        let pvName = ProvisionRequest.volumeName(claim)
        do {
            volumes[pvName] = try await client.create("/api/v1/persistentvolumes",
                                                      ProvisionRequest.persistentVolume(claim, storageClass: storageClass, volume: volume, fsType: fsType))
        } catch let e as KubeClientError where e.isAlreadyExists {
            // Made by an earlier attempt; the watch brings it.
        } catch {
            logger.warning("provisioned volume's PV not created", metadata: ["claim": "\(ns)/\(name)", "error": "\(error)"])
            failed(uid)
            return
        }
        succeeded(uid)
        logger.info("volume provisioned", metadata: ["claim": "\(ns)/\(name)", "volume": "\(pvName)", "handle": "\(volume.volumeID)"])
        await events.emit(claim, type: "Normal", reason: "ProvisioningSucceeded", message: "Successfully provisioned volume \(pvName)")
    }

    private func delete(_ pv: JSON, name: String, driver: String, handle: String) async {
        guard !backingOff(name), let connection = registry.driver(driver)?.connection else { return }
        do {
            _ = try await connection.controller.deleteVolume(.with { $0.volumeID = handle })
        } catch {
            logger.warning("DeleteVolume failed", metadata: ["volume": "\(name)", "error": "\(CSIConnection.describe(error))"])
            failed(name)
            return
        }
        do {
            _ = try await client.delete("/api/v1/persistentvolumes/\(name)")
        } catch let e as KubeClientError where e.isNotFound {
        } catch {
            logger.warning("PV not deleted", metadata: ["volume": "\(name)", "error": "\(error)"])
            failed(name)
            return
        }
        succeeded(name)
        volumes[name] = nil
        logger.info("volume deleted", metadata: ["volume": "\(name)", "handle": "\(handle)"])
    }
}
