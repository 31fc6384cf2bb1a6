import CSI
import GRPCCore
import SwiftProtobuf

/// CSI Controller: create and delete volumes, validate capabilities, list, capacity.
struct ControllerService: Csi_V1_Controller.SimpleServiceProtocol {
    let driver: HostPathDriver

    func createVolume(request: Csi_V1_CreateVolumeRequest, context: ServerContext) async throws -> Csi_V1_CreateVolumeResponse {
        let volume = try await driver.createVolume(request)
        return .with { $0.volume = volume }
    }

    func deleteVolume(request: Csi_V1_DeleteVolumeRequest, context: ServerContext) async throws -> Csi_V1_DeleteVolumeResponse {
        try await driver.deleteVolume(request.volumeID)
        return .init()
    }

    func validateVolumeCapabilities(request: Csi_V1_ValidateVolumeCapabilitiesRequest,
                                    context: ServerContext) async throws -> Csi_V1_ValidateVolumeCapabilitiesResponse {
        try await driver.validate(request)
    }

    func listVolumes(request: Csi_V1_ListVolumesRequest, context: ServerContext) async throws -> Csi_V1_ListVolumesResponse {
        try await driver.listVolumes(maxEntries: request.maxEntries, startingToken: request.startingToken)
    }

    func getCapacity(request: Csi_V1_GetCapacityRequest, context: ServerContext) async throws -> Csi_V1_GetCapacityResponse {
        // Another node's topology has nothing here.
        if request.hasAccessibleTopology,
           let node = request.accessibleTopology.segments[HostPathConfiguration.topologyKey], node != driver.configuration.nodeID {
            return .init()
        }
        let available = await driver.availableBytes()
        return .with {
            $0.availableCapacity = available
            $0.maximumVolumeSize = Google_Protobuf_Int64Value(available)
        }
    }

    func controllerGetCapabilities(request: Csi_V1_ControllerGetCapabilitiesRequest,
                                   context: ServerContext) async throws -> Csi_V1_ControllerGetCapabilitiesResponse {
        .with {
            $0.capabilities = [Csi_V1_ControllerServiceCapability.RPC.TypeEnum.createDeleteVolume, .listVolumes, .getCapacity].map { t in
                .with { $0.rpc = .with { $0.type = t } }
            }
        }
    }
}
