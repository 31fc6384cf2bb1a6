import CSI
import GRPCCore
import SwiftProtobuf

/// CSI Identity: name, capabilities (a controller service; volumes bound to a node's topology).
struct IdentityService: Csi_V1_Identity.SimpleServiceProtocol {
    let driver: HostPathDriver

    func getPluginInfo(request: Csi_V1_GetPluginInfoRequest, context: ServerContext) async throws -> Csi_V1_GetPluginInfoResponse {
        let c = driver.configuration
        return .with {
            $0.name = c.driverName
            $0.vendorVersion = c.vendorVersion
        }
    }

    func getPluginCapabilities(request: Csi_V1_GetPluginCapabilitiesRequest, context: ServerContext) async throws -> Csi_V1_GetPluginCapabilitiesResponse {
        .with {
            $0.capabilities = [Csi_V1_PluginCapability.Service.TypeEnum.controllerService, .volumeAccessibilityConstraints].map { t in
                .with { $0.service = .with { $0.type = t } }
            }
        }
    }

    func probe(request: Csi_V1_ProbeRequest, context: ServerContext) async throws -> Csi_V1_ProbeResponse {
        .with { $0.ready = Google_Protobuf_BoolValue(true) }
    }
}
