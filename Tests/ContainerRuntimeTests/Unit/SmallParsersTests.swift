@testable import ContainerRuntime
import CRI
import Foundation
import Testing

@Suite struct SmallParsersTests {
    @Test func memoryStat() {
        let parsed = CgroupStats.parseKeyValues("cache 10\nrss 20\ntotal_inactive_file 5\noom_kill_disable 0\nunder_oom 0\noom_kill 1\n")
        #expect(parsed["rss"] == 20)
        #expect(parsed["total_inactive_file"] == 5)
        #expect(parsed["oom_kill"] == 1)
    }

    @Test func resolvConf() {
        #expect(PodFiles.resolvConf(nil) == nil)
        let dns = Runtime_V1_DNSConfig.with { $0.servers = ["10.0.0.10"]; $0.searches = ["ns.svc.cluster.local"]; $0.options = ["ndots:5"] }
        #expect(PodFiles.resolvConf(dns) == "search ns.svc.cluster.local\nnameserver 10.0.0.10\noptions ndots:5\n")
    }

    @Test func hostsNameThePod() {
        #expect(PodFiles.hosts(hostname: "web", ips: ["10.1.0.2"]).hasSuffix("10.1.0.2\tweb\n"))
    }

    @Test func registryHosts() throws {
        let hosts = try RegistryHosts(parsing: ["docker.io=http://127.0.0.1:5000,http://127.0.0.1:5001"])
        #expect(try hosts.endpoints(for: "docker.io").map(\.apiRoot.absoluteString) == ["http://127.0.0.1:5000/v2", "http://127.0.0.1:5001/v2"])
        #expect(try hosts.endpoints(for: "127.0.0.1:6000").map(\.apiRoot.absoluteString) == ["http://127.0.0.1:6000/v2"])
        #expect(try hosts.endpoints(for: "registry.example").map(\.apiRoot.absoluteString) == ["https://registry.example/v2"])
        #expect(throws: RuntimeError.self) { try RegistryHosts(parsing: ["docker.io"]) }
    }

    @Test func conmonSyncMessage() {
        #expect(ConmonSyncMessage(json: Data(#"{"data": 4242}"#.utf8)) == ConmonSyncMessage(json: Data(#"{"data":4242}"#.utf8)))
        #expect(ConmonSyncMessage(json: Data(#"{"data": -1, "message": "boom"}"#.utf8))?.message == "boom")
    }

    @Test func importedNames() {
        #expect(ImageManager.importedReference(annotation: "latest", name: "busybox")?.description == "docker.io/library/busybox:latest")
        #expect(ImageManager.importedReference(annotation: "127.0.0.1:5000/x:1", name: nil)?.description == "127.0.0.1:5000/x:1")
        #expect(ImageManager.importedReference(annotation: nil, name: nil) == nil)
    }
}
