import AsyncHTTPClient
import CRI
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Runs a probe or lifecycle handler against a container: exec through CRI ExecSync, an HTTP GET
/// or a TCP connect to the pod's address, or a sleep.
public final class HandlerRunner: Sendable {
    private let cri: CRIRuntimeClient
    private let http: HTTPClient

    public init(cri: CRIRuntimeClient) {
        self.cri = cri
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        var config = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .follow(max: 10, allowCycles: false))
        config.connectionPool = .init(idleTimeout: .seconds(1), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)
        config.decompression = .disabled
        http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
    }

    public func shutdown() async { try? await http.shutdown() }

    public func run(_ handler: Handler, container: ContainerSpec, containerID: String, podIP: String?,
                    timeout: Duration) async -> ProbeOutcome {
        switch handler {
        case .exec(let command):
            do {
                let seconds = max(1, Int64(timeout.components.seconds))
                let reply = try await cri.runtime.execSync(.with {
                    $0.containerID = containerID
                    $0.cmd = command
                    $0.timeout = seconds
                }, options: CRIRuntimeClient.options(timeout: timeout + .seconds(5)))
                let output = String(decoding: reply.stdout + reply.stderr, as: UTF8.self)
                return reply.exitCode == 0 ? .success : .failure(output.isEmpty ? "command \(Self.quote(command)) exited with \(reply.exitCode)" : output)
            } catch {
                return .error("rpc error: \(error)")
            }
        case .httpGet(let h):
            guard let port = Self.port(h.port, container) else { return .error("unable to resolve port \(h.port)") }
            let host = h.host ?? podIP ?? "127.0.0.1"
            let scheme = h.scheme.lowercased() == "https" ? "https" : "http"
            let path = h.path.hasPrefix("/") ? h.path : "/" + h.path
            let url = "\(scheme)://\(Self.hostPort(host, port))\(path)"
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "User-Agent", value: "kube-probe/1.32")
            request.headers.add(name: "Accept", value: "*/*")
            for header in h.headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
            do {
                let response = try await http.execute(request, timeout: .init(timeout))
                _ = try? await response.body.collect(upTo: 10 << 10)
                return .http(statusCode: Int(response.status.code))
            } catch {
                return .failure("Get \"\(url)\": \(Self.describe(error))")
            }
        case .tcpSocket(let portName, let hostName):
            guard let port = Self.port(portName, container) else { return .error("unable to resolve port \(portName)") }
            let host = hostName ?? podIP ?? "127.0.0.1"
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
                    .connect(host: host, port: port).get()
                try? await channel.close()
                return .success
            } catch {
                return .failure("dial tcp \(Self.hostPort(host, port)): \(Self.describe(error))")
            }
        case .grpc(let port, let service):
            return await GRPCHealthProbe.check(host: podIP ?? "127.0.0.1", port: Int(port), service: service ?? "", timeout: timeout)
        case .sleep(let seconds):
            try? await Task.sleep(for: .seconds(seconds))
            return .success
        }
    }

    /// A number, or the name of one of the container's ports.
    static func port(_ value: String, _ c: ContainerSpec) -> Int? {
        if let n = Int(value) { return n }
        return c.ports.first { $0.name == value }.map { Int($0.containerPort) }
    }

    static func hostPort(_ host: String, _ port: Int) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    static func quote(_ command: [String]) -> String { "[" + command.joined(separator: " ") + "]" }

    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError, e == .deadlineExceeded || e == .readTimeout {
            return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        }
        if let e = error as? NIOConnectionError, let first = e.connectionErrors.first { return describe(first.error) }
        if error is ChannelError { return "i/o timeout" }
        if let e = error as? IOError { return e.errnoCode == ECONNREFUSED ? "connect: connection refused" : "connect: \(e.description)" }
        return "\(error)"
    }
}
