import CSI
import KubeAPI
import KubeClient
import Logging

/// The I/O of dynamic provisioning, the same for the PV controller and a node's kubelet:
/// CreateVolume through a driver and the PV that records it, with the claim's Provisioning,
/// ProvisioningFailed and ProvisioningSucceeded events; and DeleteVolume, then the PV.
public struct VolumeProvisioner: Sendable {
    public let client: KubeClient
    public let events: ClaimEvents
    public let logger: Logger

    public init(client: KubeClient, events: ClaimEvents, logger: Logger) {
        self.client = client
        self.events = events
        self.logger = logger
    }

    public enum Outcome: Sendable {
        /// The PV as created; nil when an earlier attempt had made it (the watch brings it).
        case created(JSON?)
        case failed
    }

    /// Provisions a volume for the claim through `connection`, in the topology of `nodeLabels`
    /// (a late-binding claim's node), and creates its PV.
    public func provision(_ claim: JSON, _ storageClass: JSON, nodeLabels: [String: String]?, through connection: CSIConnection) async -> Outcome {
        let ns = claim[path: ["metadata", "namespace"]]?.string ?? "default", name = claim[path: ["metadata", "name"]]?.string ?? ""
        let className = storageClass[path: ["metadata", "name"]]?.string ?? ""
        let events = self.events
        Task { await events.emit(claim, type: "Normal", reason: "Provisioning", message: "External provisioner is provisioning volume for claim \"\(ns)/\(name)\"") }
        let volume: Csi_V1_Volume
        do {
            volume = try await connection.controller.createVolume(ProvisionRequest.create(claim, storageClass: storageClass, nodeLabels: nodeLabels)).volume
        } catch {
            await events.emit(claim, type: "Warning", reason: "ProvisioningFailed",
                              message: "failed to provision volume with StorageClass \"\(className)\": \(CSIConnection.describe(error))")
            return .failed
        }
        let fsType = storageClass.stringMap("parameters")["csi.storage.k8s.io/fstype"] ?? ""
        let pvName = ProvisionRequest.volumeName(claim)
        var created: JSON?
        do {
            created = try await client.create("/api/v1/persistentvolumes",
                                              ProvisionRequest.persistentVolume(claim, storageClass: storageClass, volume: volume, fsType: fsType))
        } catch let e as KubeClientError where e.isAlreadyExists {
            created = nil
        } catch {
            logger.warning("provisioned volume's PV not created", metadata: ["claim": "\(ns)/\(name)", "error": "\(error)"])
            return .failed
        }
        logger.info("volume provisioned", metadata: ["claim": "\(ns)/\(name)", "volume": "\(pvName)", "handle": "\(volume.volumeID)"])
        Task { await events.emit(claim, type: "Normal", reason: "ProvisioningSucceeded", message: "Successfully provisioned volume \(pvName)") }
        return .created(created)
    }

    /// Deletes a released volume's storage through `connection` (none: the PV only), then the
    /// PV; false when it must be tried again.
    public func delete(_ name: String, handle: String?, through connection: CSIConnection?) async -> Bool {
        if let connection, let handle {
            do {
                _ = try await connection.controller.deleteVolume(.with { $0.volumeID = handle })
            } catch {
                logger.warning("DeleteVolume failed", metadata: ["volume": "\(name)", "error": "\(CSIConnection.describe(error))"])
                return false
            }
        }
        do {
            _ = try await client.delete("/api/v1/persistentvolumes/\(name)")
        } catch let e as KubeClientError where e.isNotFound {
        } catch {
            logger.warning("PV not deleted", metadata: ["volume": "\(name)", "error": "\(error)"])
            return false
        }
        logger.info("volume deleted", metadata: ["volume": "\(name)"])
        return true
    }
}
