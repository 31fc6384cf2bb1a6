import CSI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// The driver as a `Service`: CSI Identity, Controller and Node on its socket, and (when a
/// registry directory is set) the Registration service on `<driver>-reg.sock` there.
public struct HostPathServer: Service {
    public let driver: HostPathDriver
    let logger: Logger

    public init(configuration: HostPathConfiguration, logger: Logger) throws {
        var logger = logger
        logger[metadataKey: "component"] = "csi-hostpath"
        self.logger = logger
        driver = try HostPathDriver(configuration: configuration, logger: logger)
    }

    public func run() async throws {
        let c = driver.configuration
        let socket = c.socketPath
        try FileManager.default.createDirectory(atPath: (socket as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let csi = GRPCServer(
            transport: .http2NIOPosix(address: .unixDomainSocket(path: socket), transportSecurity: .plaintext),
            services: [IdentityService(driver: driver), ControllerService(driver: driver), NodeService(driver: driver)])
        var registration: [GRPCServer<HTTP2ServerTransport.Posix>] = []
        if let reg = c.registrationSocketPath {
            try FileManager.default.createDirectory(atPath: (reg as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            registration.append(GRPCServer(
                transport: .http2NIOPosix(address: .unixDomainSocket(path: reg), transportSecurity: .plaintext),
                services: [RegistrationService(driverName: c.driverName, endpoint: socket, logger: logger)]))
        }
        let servers = [csi] + registration
        let logger = self.logger
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await csi.serve() }
                if let address = try await csi.listeningAddress {
                    logger.info("CSI driver listening", metadata: ["address": "\(address)", "node": "\(c.nodeID)"])
                }
                // Registration only once the driver answers: the kubelet dials it right away.
                for s in registration { group.addTask { try await s.serve() } }
            }
        } onGracefulShutdown: {
            for s in servers { s.beginGracefulShutdown() }
        }
        // A registration socket left behind would make the kubelet dial a dead driver.
        if let reg = c.registrationSocketPath { try? FileManager.default.removeItem(atPath: reg) }
    }
}
