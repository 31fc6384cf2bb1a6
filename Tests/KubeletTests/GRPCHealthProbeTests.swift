import GRPCCore
import GRPCNIOTransportHTTP2
import Testing
@testable import Kubelet

/// gRPC probes against a real gRPC server on 127.0.0.1.
struct GRPCHealthProbeTests {
    struct Health: Grpc_Health_V1_Health.SimpleServiceProtocol {
        func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
            switch request.service {
            case "": return .with { $0.status = .serving }
            case "slow":
                try await Task.sleep(for: .seconds(5))
                return .with { $0.status = .serving }
            case "down": return .with { $0.status = .notServing }
            default: throw RPCError(code: .notFound, message: "unknown service")
            }
        }
    }

    func withServer(_ body: (Int) async throws -> Void) async throws {
        let server = GRPCServer(transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
                                services: [Health()])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            let address = try #require(try await server.listeningAddress?.ipv4)
            try await body(address.port)
            server.beginGracefulShutdown()
        }
    }

    @Test func answersAsTheKubeletWords() async throws {
        try await withServer { port in
            #expect(await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "", timeout: .seconds(2)) == .success)
            #expect(await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "down", timeout: .seconds(2))
                == .failure("service unhealthy (responded with \"NOT_SERVING\")"))
            #expect(await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "slow", timeout: .seconds(1))
                == .failure("timeout: health rpc did not complete within 1s"))
            let unknown = await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "other", timeout: .seconds(2))
            #expect(unknown == .failure("health rpc probe failed: notFound: unknown service"))
        }
    }

    @Test func nothingListening() async throws {
        var port = 0
        try await withServer { port = $0 }
        let outcome = await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "", timeout: .seconds(1))
        guard case .failure(let message) = outcome else { Issue.record("\(outcome)"); return }
        #expect(message.hasPrefix("timeout: failed to connect service \"127.0.0.1:\(port)\" within 1s"), "\(message)")
    }
}
