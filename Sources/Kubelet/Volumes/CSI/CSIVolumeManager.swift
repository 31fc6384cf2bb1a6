import CSI
import Foundation
import GRPCCore
import KubeAPI
import KubeClient
import Logging

/// Mounts a pod's CSI volumes (claims bound to CSI PVs, and inline `csi` volumes) through the
/// driver registered for each: NodeStage once per volume on the node into
/// `<root>/plugins/kubernetes.io/csi/<driver>/<hash>/globalmount`, NodePublish per pod into
/// `<pod>/volumes/kubernetes.io~csi/<name>/mount`; the reverse when the pod goes.
struct CSIVolumeManager: Sendable {
    let root: String
    let registry: CSIDriverRegistry
    let client: KubeClient
    let logger: Logger
    /// How long a sync waits for a claim to become Bound before it reports FailedMount.
    var bindWait: Duration = .seconds(5)

    private var csiDirName: String { "kubernetes.io~csi" }

    func podCSIDirectory(_ uid: String) -> String { "\(root)/pods/\(uid)/volumes/\(csiDirName)" }

    func stagingPath(driver: String, handle: String) -> String {
        "\(root)/plugins/kubernetes.io/csi/\(driver)/\(StableID.hex(handle))/globalmount"
    }

    /// The host path of each CSI volume of the pod, by volume name.
    func setUp(_ pod: PodSpecView) async throws(VolumeError) -> [String: String] {
        var paths: [String: String] = [:]
        for volume in pod.volumes {
            let source: CSIVolumeSource
            switch volume.source {
            case .persistentVolumeClaim(let claim, let readOnly):
                source = try await boundVolume(pod, volume: volume.name, claim: claim, readOnly: readOnly)
            case .other(let json) where json["csi"] != nil:
                guard let s = CSIVolumeSource(inline: json, podUID: pod.uid, podName: pod.name, namespace: pod.namespace,
                                              serviceAccount: pod.serviceAccountName) else { continue }
                source = s
            default:
                continue
            }
            paths[volume.name] = try await mount(source, pod: pod)
        }
        return paths
    }

    /// The claim's PV once the claim is Bound (waiting up to `bindWait`), as a CSI source.
    private func boundVolume(_ pod: PodSpecView, volume: String, claim: String, readOnly: Bool) async throws(VolumeError) -> CSIVolumeSource {
        let deadline = ContinuousClock.now + bindWait
        var pvc: JSON
        while true {
            do {
                pvc = try await client.get("/api/v1/namespaces/\(pod.namespace)/persistentvolumeclaims/\(claim)")
            } catch let e as KubeClientError where e.isNotFound {
                throw VolumeError(message: "persistentvolumeclaim \"\(claim)\" not found")
            } catch {
                throw VolumeError(message: "error reading persistentvolumeclaim \"\(claim)\": \(error)")
            }
            let phase = pvc[path: ["status", "phase"]]?.string ?? ""
            let name = pvc[path: ["spec", "volumeName"]]?.string ?? ""
            if phase == "Bound" && !name.isEmpty { break }
            if ContinuousClock.now >= deadline {
                throw VolumeError(message: "PVC \(pod.namespace)/\(claim) has non-bound phase (\"\(phase)\") or empty pvc.Spec.VolumeName (\"\(name)\")")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        if pvc[path: ["metadata", "deletionTimestamp"]].map({ !$0.isNull }) == true {
            throw VolumeError(message: "can't start pod because PVC \(pod.namespace)/\(claim) is being deleted")
        }
        let pvName = pvc[path: ["spec", "volumeName"]]?.string ?? ""
        let pv: JSON
        do { pv = try await client.get("/api/v1/persistentvolumes/\(pvName)") } catch {
            throw VolumeError(message: "error reading persistentvolume \"\(pvName)\" of claim \(pod.namespace)/\(claim): \(error)")
        }
        guard let source = CSIVolumeSource(pv: pv, claimReadOnly: readOnly) else {
            throw VolumeError(message: "persistentvolume \"\(pvName)\": only CSI volumes are supported by this kubelet")
        }
        return source
    }

    private func mount(_ s: CSIVolumeSource, pod: PodSpecView) async throws(VolumeError) -> String {
        guard let driver = registry.driver(s.driver) else {
            throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(s.specName)\" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name \(s.driver) not found in the list of registered CSI drivers")
        }
        let dir = "\(podCSIDirectory(pod.uid))/\(s.specName)"
        let target = dir + "/mount"
        let staging = driver.stagesVolumes && !s.ephemeral ? stagingPath(driver: s.driver, handle: s.volumeHandle) : ""
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try CSIVolumeData(driverName: s.driver, volumeHandle: s.volumeHandle, stagingPath: staging, ephemeral: s.ephemeral)
                .write(dir + "/vol_data.json")
        } catch {
            throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(s.specName)\" : \(error)")
        }
        if !staging.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
                _ = try await driver.connection.node.nodeStageVolume(.with {
                    $0.volumeID = s.volumeHandle
                    $0.stagingTargetPath = staging
                    $0.volumeCapability = s.capability
                    $0.volumeContext = s.attributes
                })
            } catch {
                throw VolumeError(message: "MountVolume.MountDevice failed for volume \"\(s.specName)\" : \(CSIConnection.describe(error))")
            }
        }
        do {
            _ = try await driver.connection.node.nodePublishVolume(.with {
                $0.volumeID = s.volumeHandle
                $0.stagingTargetPath = staging
                $0.targetPath = target
                $0.volumeCapability = s.capability
                $0.readonly = s.readOnly
                $0.volumeContext = s.attributes
            })
        } catch {
            throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(s.specName)\" : \(CSIConnection.describe(error))")
        }
        return target
    }

    /// Unpublishes every CSI volume of the pod and unstages those no other pod here uses.
    /// Answers false when something is still mounted (the pod directory must then stay).
    func tearDown(podUID: String) async -> Bool {
        let base = podCSIDirectory(podUID)
        var clean = true
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            let dir = "\(base)/\(name)"
            guard let data = CSIVolumeData.read(dir + "/vol_data.json") else { continue }
            guard let driver = await registry.waitFor(data.driverName, timeout: .seconds(10)) else {
                logger.warning("CSI volume not unmounted: driver not registered", metadata: ["driver": "\(data.driverName)", "pod": "\(podUID)"])
                clean = false
                continue
            }
            do {
                _ = try await driver.connection.node.nodeUnpublishVolume(.with {
                    $0.volumeID = data.volumeHandle
                    $0.targetPath = dir + "/mount"
                })
            } catch let e as RPCError where e.code == .notFound {
                // Already gone.
            } catch {
                logger.warning("NodeUnpublishVolume failed", metadata: ["volume": "\(data.volumeHandle)", "error": "\(CSIConnection.describe(error))"])
                clean = false
                continue
            }
            try? FileManager.default.removeItem(atPath: dir + "/vol_data.json")
            rmdir(dir + "/mount")
            rmdir(dir)
            if !data.stagingPath.isEmpty, !stagingInUse(data.stagingPath) {
                do {
                    _ = try await driver.connection.node.nodeUnstageVolume(.with {
                        $0.volumeID = data.volumeHandle
                        $0.stagingTargetPath = data.stagingPath
                    })
                    rmdir(data.stagingPath)
                    rmdir((data.stagingPath as NSString).deletingLastPathComponent)
                } catch let e as RPCError where e.code == .notFound {
                } catch {
                    logger.warning("NodeUnstageVolume failed", metadata: ["volume": "\(data.volumeHandle)", "error": "\(CSIConnection.describe(error))"])
                }
            }
        }
        return clean
    }

    /// Whether any pod directory still records a mount from this staging path.
    private func stagingInUse(_ staging: String) -> Bool {
        let fm = FileManager.default
        for uid in (try? fm.contentsOfDirectory(atPath: "\(root)/pods")) ?? [] {
            let base = podCSIDirectory(uid)
            for name in (try? fm.contentsOfDirectory(atPath: base)) ?? [] where CSIVolumeData.read("\(base)/\(name)/vol_data.json")?.stagingPath == staging {
                return true
            }
        }
        return false
    }
}
