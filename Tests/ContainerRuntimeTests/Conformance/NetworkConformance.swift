import CRI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Traffic stays on the test's own bridge: pod addresses in namespaces this run created.
extension Conformance {
    @Suite struct NetworkConformance {
        @Test(arguments: TestEnvironment.targets)
        func podsReachEachOtherAndTheHostReachesAPod(target: CRITarget) async throws {
            let server = PodFixture(target, "web")
            let client = PodFixture(target, "client")
            try await server.run { runtime, _, serverSandbox, serverConfig in
                _ = try await PodFixture.start(runtime, serverSandbox, serverConfig, server.containerConfig("httpd", [
                    "sh", "-c", "mkdir -p /tmp/www && echo hello-from-pod > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www",
                ]))
                let ip = try await runtime.podSandboxStatus(.with { $0.podSandboxID = serverSandbox }).status.network.ip
                #expect(!ip.isEmpty)
                let url = URL(string: "http://\(ip):8080/index.html")!
                var body = ""
                for _ in 0..<50 where body.isEmpty {
                    if let (data, _) = try? await URLSession.shared.data(from: url) { body = String(decoding: data, as: UTF8.self) }
                    else { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(body == "hello-from-pod\n")

                try await client.run { runtime, _, clientSandbox, clientConfig in
                    let id = try await PodFixture.start(runtime, clientSandbox, clientConfig, client.containerConfig("wget", ["sleep", "1000"]))
                    let fetched = try await PodFixture.exec(runtime, id, ["wget", "-q", "-O", "-", "http://\(ip):8080/index.html"])
                    #expect(fetched.exitCode == 0)
                    #expect(fetched.output == "hello-from-pod")
                }
            }
        }
    }
}
