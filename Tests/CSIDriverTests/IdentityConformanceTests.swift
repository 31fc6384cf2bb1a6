import CSI
import CSIDriver
import Foundation
import Testing

@Suite("CSI conformance: identity", .serialized)
struct IdentityConformanceTests {
    @Test func pluginInfoCapabilitiesAndProbe() async throws {
        try await withDriver { f in
        let info = try await f.identity.getPluginInfo(.init())
        #expect(info.name == "hostpath.csi.skiff.dev")
        #expect(!info.vendorVersion.isEmpty)
        let caps = try await f.identity.getPluginCapabilities(.init()).capabilities.compactMap { c -> Csi_V1_PluginCapability.Service.TypeEnum? in
            if case .service(let s)? = c.type { return s.type }
            return nil
        }
        #expect(caps.contains(.controllerService))
        #expect(caps.contains(.volumeAccessibilityConstraints))
        let probe = try await f.identity.probe(.init())
        #expect(!probe.hasReady || probe.ready.value)
        }
    }

    @Test func registrationSocketTellsTheKubeletWhereTheDriverIs() async throws {
        try await withDriver { f in
        let reg = try CSIConnection(endpoint: f.configuration.registrationSocketPath!, timeout: .seconds(5))
        defer { reg.close() }
        let info = try await reg.registration.getInfo(.init())
        #expect(info.type == "CSIPlugin")
        #expect(info.name == "hostpath.csi.skiff.dev")
        #expect(info.endpoint == f.configuration.socketPath)
        #expect(info.supportedVersions.contains("1.0.0"))
        _ = try await reg.registration.notifyRegistrationStatus(.with { $0.pluginRegistered = true })
        }
    }
}
