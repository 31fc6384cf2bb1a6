import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// A gRPC probe: one grpc.health.v1 Check over plaintext HTTP/2 to the pod's address, healthy only
/// when the answer is SERVING. Failures are worded as the kubelet's gRPC prober words them.
enum GRPCHealthProbe {
    static func check(host: String, port: Int, service: String, timeout: Duration) async -> ProbeOutcome {
        let target = HandlerRunner.hostPort(host, port)
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(
                target: .dns(host: host, port: port), transportSecurity: .plaintext,
                config: .defaults {
                    $0.connection.maxIdleTime = nil
                    $0.backoff = .init(initial: timeout, max: timeout, multiplier: 1, jitter: 0)
                })
        } catch {
            return .error("failed to connect service \"\(target)\": \(error)")
        }
        let client = GRPCClient(transport: transport)
        let answer: Result<Grpc_Health_V1_HealthCheckResponse, any Error> = await withTaskGroup(
            of: Result<Grpc_Health_V1_HealthCheckResponse, any Error>?.self) { group in
            group.addTask { try? await client.runConnections(); return nil }
            group.addTask {
                defer { client.beginGracefulShutdown() }
                do {
                    var options = CallOptions.defaults
                    options.timeout = timeout
                    options.waitForReady = false
                    let response = try await Grpc_Health_V1_Health.Client(wrapping: client)
                        .check(.with { $0.service = service }, options: options)
                    return .success(response)
                } catch {
                    return .failure(error)
                }
            }
            var result: Result<Grpc_Health_V1_HealthCheckResponse, any Error>?
            for await r in group where r != nil { result = r }
            return result ?? .failure(RPCError(code: .unknown, message: "no answer"))
        }
        switch answer {
        case .success(let response):
            return response.status == .serving ? .success : .failure("service unhealthy (responded with \"\(Self.name(response.status))\")")
        case .failure(let error):
            guard let rpc = error as? RPCError else { return .failure("\(error)") }
            switch rpc.code {
            case .unimplemented:
                return .failure("this server does not implement the grpc health protocol (grpc.health.v1.Health): \(rpc.message)")
            case .deadlineExceeded:
                return .failure("timeout: health rpc did not complete within \(Self.seconds(timeout))")
            case .unavailable:
                return .failure("timeout: failed to connect service \"\(target)\" within \(Self.seconds(timeout)): \(rpc.message)")
            default:
                return .failure("health rpc probe failed: \(rpc.code): \(rpc.message)")
            }
        }
    }

    static func name(_ s: Grpc_Health_V1_HealthCheckResponse.ServingStatus) -> String {
        switch s {
        case .unknown: "UNKNOWN"
        case .serving: "SERVING"
        case .notServing: "NOT_SERVING"
        case .serviceUnknown: "SERVICE_UNKNOWN"
        case .UNRECOGNIZED(let n): "\(n)"
        }
    }

    static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }
}
