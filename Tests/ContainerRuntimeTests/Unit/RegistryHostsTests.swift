@testable import ContainerRuntime
import Foundation
import Testing

@Suite struct RegistryHostsTests {
    static let file = "/etc/skiff/certs.d/docker.io/hosts.toml"

    @Test func readsEveryField() throws {
        let text = """
        server = "https://registry-1.docker.io"
        capabilities = ["pull", "resolve"]

        [host."https://mirror.example/us"]
          capabilities = ["pull"]
          ca = "mirror.pem"
          skip_verify = true
          [host."https://mirror.example/us".header]
            x-custom = ["a", "b"]
            x-one = "c"

        [host."http://127.0.0.1:5000/v2/raw"]
          override_path = true
          ca = ["/abs/one.pem", "two.pem"]
        """
        let parsed = try HostsFile.parse(text, file: Self.file)
        #expect(parsed.server == URL(string: "https://registry-1.docker.io"))
        #expect(parsed.serverOptions.capabilities == [.pull, .resolve])
        #expect(parsed.hosts.map(\.url.absoluteString) == ["https://mirror.example/us", "http://127.0.0.1:5000/v2/raw"])
        let mirror = parsed.hosts[0].options
        #expect(mirror.capabilities == [.pull] && mirror.skipVerify && mirror.caFiles == ["/etc/skiff/certs.d/docker.io/mirror.pem"])
        #expect(mirror.headers == ["x-custom": ["a", "b"], "x-one": ["c"]])
        #expect(parsed.hosts[1].options.overridePath && parsed.hosts[1].options.capabilities == nil)
        #expect(parsed.hosts[1].options.caFiles == ["/abs/one.pem", "/etc/skiff/certs.d/docker.io/two.pem"])
    }

    static let bad: [(String, Int, String)] = [
        ("server = 5", 1, "server: want a string"),
        ("server = \"ftp://x\"", 1, "want an http:// or https:// URL"),
        ("[host.\"https://m\"]\ncapabilities = [\"pull\", \"fetch\"]", 2, "unknown capability \"fetch\""),
        ("[host.\"https://m\"]\nskip_verify = \"yes\"", 2, "skip_verify: want a boolean"),
        ("[host.\"https://m\"]\nca = [1]", 2, "ca: want strings"),
        ("[host.\"https://m\"]\n[host.\"https://m\".header]\nx = true", 3, "header x: want a string or an array"),
        ("host = \"https://m\"", 1, "host: want a table"),
        ("[host.\"https://m\"]\n  [host.\"https://m\".host.\"https://n\"]", 1, "cannot be nested"),
        ("[host]\n\"https://m\" = 1", 2, "must be a table"),
    ]

    @Test(arguments: bad)
    func refusesBadFields(text: String, line: Int, message: String) {
        #expect {
            _ = try HostsFile.parse(text, file: Self.file)
        } throws: { error in
            "\(error)".hasPrefix("\(Self.file):\(line): ") && "\(error)".contains(message)
        }
    }

    static func roots(_ endpoints: [RegistryEndpoint]) -> [String] { endpoints.map(\.apiRoot.absoluteString) }

    @Test func mergeOrder() throws {
        let file = try HostsFile.parse("""
            [host."http://127.0.0.1:5000"]
              capabilities = ["pull", "resolve"]
            [host."https://cache.example/base"]
              capabilities = ["pull"]
            """, file: Self.file)
        let cases: [(String, String, [URL], HostsFile?, [String])] = [
            ("no file, no mirror: the registry", "docker.io", [], nil, ["https://registry-1.docker.io/v2"]),
            ("loopback registry over HTTP", "127.0.0.1:7000", [], nil, ["http://127.0.0.1:7000/v2"]),
            ("mirror flag replaces the registry", "docker.io", [URL(string: "http://m:1")!], nil, ["http://m:1/v2"]),
            ("file hosts then the default server", "docker.io", [], file,
             ["http://127.0.0.1:5000/v2", "https://cache.example/base/v2", "https://registry-1.docker.io/v2"]),
            ("mirror flag before the file's hosts", "docker.io", [URL(string: "http://m:1")!], file,
             ["http://m:1/v2", "http://127.0.0.1:5000/v2", "https://cache.example/base/v2", "https://registry-1.docker.io/v2"]),
            ("server named by the file", "quay.io", [], HostsFile(server: URL(string: "http://127.0.0.1:9/")!), ["http://127.0.0.1:9/v2"]),
            ("override_path keeps the path", "quay.io", [],
             HostsFile(server: URL(string: "https://x/api")!, serverOptions: .init(overridePath: true)), ["https://x/api"]),
        ]
        for (name, domain, mirrors, file, expected) in cases {
            #expect(Self.roots(RegistryHosts.merge(domain: domain, mirrors: mirrors, file: file)) == expected, "\(name)")
        }
        let merged = RegistryHosts.merge(domain: "docker.io", mirrors: [], file: file)
        #expect(merged.map(\.capabilities) == [[.pull, .resolve], [.pull], .all])
        #expect(merged.map(\.namespace) == ["docker.io", "docker.io", nil])
        #expect(merged[0].url("library/busybox/manifests/latest").absoluteString
                == "http://127.0.0.1:5000/v2/library/busybox/manifests/latest?ns=docker.io")
    }

    @Test(arguments: [
        ("127.0.0.1:5000", ["_default"], "/d/_default/hosts.toml"),
        ("127.0.0.1:5000", ["127.0.0.1:5000", "_default"], "/d/127.0.0.1:5000/hosts.toml"),
        ("127.0.0.1:5000", ["127.0.0.1_5000_", "127.0.0.1:5000"], "/d/127.0.0.1_5000_/hosts.toml"),
        ("docker.io", ["docker.io"], "/d/docker.io/hosts.toml"),
        ("docker.io", ["quay.io"], nil),
    ] as [(String, [String], String?)])
    func lookupOrder(domain: String, present: [String], expected: String?) {
        let files = Set(present.map { "/d/\($0)/hosts.toml" })
        #expect(RegistryHosts.hostsFile(for: domain, in: "/d", exists: files.contains) == expected)
    }

    @Test func brokenFileFailsThePullWithFileAndLine() throws {
        let directory = NSTemporaryDirectory() + "skiff-certs-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory + "/docker.io", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("server = \"http://127.0.0.1:1\"\n[host.\"http://x\"\n".utf8).write(to: URL(fileURLWithPath: directory + "/docker.io/hosts.toml"))
        let hosts = RegistryHosts(configDirectory: directory)
        #expect { _ = try hosts.endpoints(for: "docker.io") } throws: { error in
            "\(error)".contains("\(directory)/docker.io/hosts.toml:2: ")
        }
        #expect(try Self.roots(hosts.endpoints(for: "quay.io")) == ["https://quay.io/v2"])
        #expect(try Self.roots(RegistryHosts(configDirectory: directory + "/absent").endpoints(for: "docker.io")) == ["https://registry-1.docker.io/v2"])
    }
}
