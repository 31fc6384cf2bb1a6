import CSI
import GRPCCore
import Logging

/// The kubelet plugin registration API, as node-driver-registrar serves it: the kubelet's plugin
/// watcher finds this socket, asks who we are and where our CSI endpoint is, and says whether
/// the registration worked.
struct RegistrationService: Pluginregistration_Registration.SimpleServiceProtocol {
    let driverName: String
    let endpoint: String
    let logger: Logger

    func getInfo(request: Pluginregistration_InfoRequest, context: ServerContext) async throws -> Pluginregistration_PluginInfo {
        .with {
            $0.type = "CSIPlugin"
            $0.name = driverName
            $0.endpoint = endpoint
            $0.supportedVersions = ["1.0.0"]
        }
    }

    func notifyRegistrationStatus(request: Pluginregistration_RegistrationStatus,
                                  context: ServerContext) async throws -> Pluginregistration_RegistrationStatusResponse {
        if request.pluginRegistered {
            logger.info("registered with the kubelet", metadata: ["driver": "\(driverName)"])
        } else {
            logger.error("the kubelet refused the registration", metadata: ["driver": "\(driverName)", "error": "\(request.error)"])
        }
        return .init()
    }
}
