import CRI
import Foundation
import Testing

extension Conformance {
    /// containerd's registry host directory: both runtimes read `<certs.d>/<host>/hosts.toml` at
    /// every pull, so a file written now routes a made-up registry name to the test registry.
    @Suite struct RegistryHostsConformance {
        var environment: TestEnvironment { TestEnvironment.current! }

        func writeHostsFile(_ target: CRITarget, domain: String, _ text: String) throws -> String {
            let directory = "\(environment.directory)/\(target.name)/certs.d/\(domain)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/hosts.toml"))
            return directory
        }

        @Test(arguments: TestEnvironment.targets)
        func hostTableRoutesAPullAndServerIsTheFallback(target: CRITarget) async throws {
            let domain = "hosts-toml.test"
            let directory = try writeHostsFile(target, domain: domain, """
                # the upstream is down: only the host below can serve this pull
                server = "http://127.0.0.1:1"

                [host."http://\(environment.registry)"]
                  capabilities = ["pull", "resolve"]
                  [host."http://\(environment.registry)".header]
                    x-skiff-test = ["hosts.toml"]
                """)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let reference = "\(domain)/library/busybox:latest"
            try await target.with { _, images in
                _ = try await images.pullImage(.with { $0.image.image = reference })
                let status = try await images.imageStatus(.with { $0.image.image = reference })
                #expect(status.image.repoTags.contains(reference))
                _ = try await images.removeImage(.with { $0.image.image = reference })
            }
        }

        /// docker.io itself comes from the test registry through `certs.d/docker.io/hosts.toml`
        /// (tests/runtime/env.sh writes it for both runtimes).
        @Test(arguments: TestEnvironment.targets)
        func dockerHubThroughHostsFile(target: CRITarget) async throws {
            try await target.with { _, images in
                _ = try await images.pullImage(.with { $0.image.image = "docker.io/library/busybox:latest" })
                #expect(try await images.imageStatus(.with { $0.image.image = "busybox" }).hasImage)
            }
        }

        /// A pull-only host (a mirror not trusted with tags) serves content by digest, but a tag
        /// must be resolved by a host with `resolve`: here only the server, which is down.
        @Test(arguments: TestEnvironment.targets)
        func pullOnlyHostServesDigestsNotTags(target: CRITarget) async throws {
            let domain = "pull-only.test"
            let directory = try writeHostsFile(target, domain: domain, """
                server = "http://127.0.0.1:1"
                [host."http://\(environment.registry)"]
                  capabilities = ["pull"]
                """)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await target.with { _, images in
                let direct = "\(environment.registry)/library/hello-v2s2:latest"
                _ = try await images.pullImage(.with { $0.image.image = direct })
                let digests = try await images.imageStatus(.with { $0.image.image = direct }).image.repoDigests
                _ = try await images.removeImage(.with { $0.image.image = direct })
                let digest = try #require(digests.first?.split(separator: "@").last.map(String.init))
                let (code, _) = await rpcCode { _ = try await images.pullImage(.with { $0.image.image = "\(domain)/library/hello-v2s2:latest" }) }
                #expect(code != nil, "a tag must not be resolved by a pull-only host")
                let pinned = "\(domain)/library/hello-v2s2@\(digest)"
                _ = try await images.pullImage(.with { $0.image.image = pinned })
                _ = try await images.removeImage(.with { $0.image.image = pinned })
            }
        }

        /// Ours only: a broken hosts.toml fails the pull with the file and line.
        @Test(arguments: TestEnvironment.targets.filter(\.isSkiff))
        func brokenHostsFileNamesFileAndLine(target: CRITarget) async throws {
            let directory = try writeHostsFile(target, domain: "broken.test", "server = \"http://\(environment.registry)\"\n[host.\"http://x\"\n")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await target.with { _, images in
                let (code, message) = await rpcCode { _ = try await images.pullImage(.with { $0.image.image = "broken.test/library/busybox" }) }
                #expect(code == .invalidArgument)
                #expect(message.contains("\(directory)/hosts.toml:2: "), "\(message)")
            }
        }

        /// Ours only: `--registry-mirror` still works beside the hosts directory.
        @Test(arguments: TestEnvironment.targets.filter(\.isSkiff))
        func registryMirrorFlag(target: CRITarget) async throws {
            try await target.with { _, images in
                _ = try await images.pullImage(.with { $0.image.image = "mirror.test/library/hello-v2s2:latest" })
                _ = try await images.removeImage(.with { $0.image.image = "mirror.test/library/hello-v2s2:latest" })
            }
        }
    }
}
