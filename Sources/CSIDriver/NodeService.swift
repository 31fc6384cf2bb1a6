import CSI
import GRPCCore

/// CSI Node: stage (bind the volume to a global mount), publish (bind that into a pod), their
/// reverses, capabilities and the node's identity and topology.
struct NodeService: Csi_V1_Node.SimpleServiceProtocol {
    let driver: HostPathDriver

    func nodeStageVolume(request: Csi_V1_NodeStageVolumeRequest, context: ServerContext) async throws -> Csi_V1_NodeStageVolumeResponse {
        try await driver.stage(request)
        return .init()
    }

    func nodeUnstageVolume(request: Csi_V1_NodeUnstageVolumeRequest, context: ServerContext) async throws -> Csi_V1_NodeUnstageVolumeResponse {
        try await driver.unstage(request)
        return .init()
    }

    func nodePublishVolume(request: Csi_V1_NodePublishVolumeRequest, context: ServerContext) async throws -> Csi_V1_NodePublishVolumeResponse {
        try await driver.publish(request)
        return .init()
    }

    func nodeUnpublishVolume(request: Csi_V1_NodeUnpublishVolumeRequest, context: ServerContext) async throws -> Csi_V1_NodeUnpublishVolumeResponse {
        try await driver.unpublish(request)
        return .init()
    }

    func nodeGetCapabilities(request: Csi_V1_NodeGetCapabilitiesRequest, context: ServerContext) async throws -> Csi_V1_NodeGetCapabilitiesResponse {
        .with { $0.capabilities = [.with { $0.rpc = .with { $0.type = .stageUnstageVolume } }] }
    }

    func nodeGetInfo(request: Csi_V1_NodeGetInfoRequest, context: ServerContext) async throws -> Csi_V1_NodeGetInfoResponse {
        let c = driver.configuration
        let topology = await driver.topology
        return .with {
            $0.nodeID = c.nodeID
            $0.maxVolumesPerNode = c.maxVolumesPerNode
            $0.accessibleTopology = topology
        }
    }
}
