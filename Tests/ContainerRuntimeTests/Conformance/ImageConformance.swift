import CRI
import Foundation
import GRPCCore
import Testing

extension Conformance {
    @Suite struct ImageConformance {
        var registry: String { TestEnvironment.current!.registry }

        @Test(arguments: TestEnvironment.targets)
        func pullStatusListRemove(target: CRITarget) async throws {
            let reference = "\(registry)/library/hello-v2s2:latest"
            try await target.with { _, images in
                let ref = try await images.pullImage(.with { $0.image.image = reference }).imageRef
                #expect(!ref.isEmpty)
                let status = try await images.imageStatus(.with { $0.image.image = reference })
                #expect(status.hasImage)
                #expect(status.image.repoTags.contains(reference))
                #expect(status.image.repoDigests.contains { $0.hasPrefix("\(self.registry)/library/hello-v2s2@sha256:") })
                #expect(status.image.size > 0)
                let listed = try await images.listImages(.init()).images
                #expect(listed.contains { $0.id == status.image.id })
                let byID = try await images.imageStatus(.with { $0.image.image = status.image.id })
                #expect(byID.image.id == status.image.id)
                _ = try await images.removeImage(.with { $0.image.image = reference })
                #expect(!(try await images.imageStatus(.with { $0.image.image = reference })).hasImage)
                let fs = try await images.imageFsInfo(.init())
                #expect(!fs.imageFilesystems.isEmpty)
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func shortNamesResolveThroughTheMirror(target: CRITarget) async throws {
            try await target.with { _, images in
                _ = try await images.pullImage(.with { $0.image.image = "busybox" })
                let status = try await images.imageStatus(.with { $0.image.image = "docker.io/library/busybox:latest" })
                #expect(status.image.repoTags.contains("docker.io/library/busybox:latest"))
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func basicAuth(target: CRITarget) async throws {
            let reference = "\(TestEnvironment.current!.authRegistry)/private/busybox:latest"
            try await target.with { _, images in
                let (anonymous, _) = await rpcCode { _ = try await images.pullImage(.with { $0.image.image = reference }) }
                #expect(anonymous != nil)
                let (wrong, wrongMessage) = await rpcCode {
                    _ = try await images.pullImage(.with { $0.image.image = reference; $0.auth.username = "skiff"; $0.auth.password = "wrong" })
                }
                #expect(wrong != nil)
                if target.isSkiff {
                    #expect(anonymous == .unauthenticated)
                    #expect(wrong == .unauthenticated, "\(wrongMessage)")
                }
                _ = try await images.pullImage(.with { $0.image.image = reference; $0.auth.username = "skiff"; $0.auth.password = "secret" })
                _ = try await images.removeImage(.with { $0.image.image = reference })
            }
        }

        @Test(arguments: TestEnvironment.targets)
        func distinctErrors(target: CRITarget) async throws {
            let cases: [(String, RPCError.Code, String)] = [
                ("\(registry)/library/busybox:no-such-tag", .notFound, "missing tag"),
                ("\(registry)/library/no-such-repo:latest", .notFound, "missing repository"),
                ("127.0.0.1:1/library/busybox:latest", .unavailable, "unreachable registry"),
                ("Invalid//Reference", .invalidArgument, "invalid reference"),
            ]
            try await target.with { _, images in
                for (reference, expected, what) in cases {
                    let (code, message) = await rpcCode { _ = try await images.pullImage(.with { $0.image.image = reference }) }
                    #expect(code != nil, "\(what) must fail")
                    #expect(!message.isEmpty, "\(what) needs a message")
                    if target.isSkiff { #expect(code == expected, "\(what): \(message)") }
                }
            }
        }

        /// The config's `rootfs.diff_ids` does not match the layer: both runtimes refuse the image
        /// and keep nothing of it.
        @Test(arguments: TestEnvironment.targets)
        func wrongDiffIDIsRefused(target: CRITarget) async throws {
            let reference = "\(registry)/library/bad-diffid:latest"
            try await target.with { _, images in
                let (code, message) = await rpcCode { _ = try await images.pullImage(.with { $0.image.image = reference }) }
                #expect(code != nil, "a layer that does not match its diff ID must fail the pull")
                #expect(message.contains("diff"), "\(message)")
                if target.isSkiff { #expect(message.contains("sha256:") && message.contains("layer 0"), "\(message)") }
                let status = try await images.imageStatus(.with { $0.image.image = reference })
                #expect(!status.hasImage)
            }
        }

        /// Ours only: `skiff images import` writes the store of a running runtime.
        @Test(arguments: TestEnvironment.targets.filter(\.isSkiff))
        func importLayoutArchive(target: CRITarget) async throws {
            let environment = TestEnvironment.current!
            let process = Process()
            process.executableURL = URL(fileURLWithPath: environment.skiffBinary)
            process.arguments = ["images", "import", environment.directory + "/images/hello.tar",
                                 "--name", "docker.io/library/imported", "--root-dir", environment.directory + "/\(target.name)/root"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            try await target.with { _, images in
                let status = try await images.imageStatus(.with { $0.image.image = "imported" })
                #expect(status.image.repoTags == ["docker.io/library/imported:latest"])
                _ = try await images.removeImage(.with { $0.image.image = "imported" })
            }
        }

        /// Ours only: containerd deliberately lets an image in use be removed.
        @Test(arguments: TestEnvironment.targets.filter(\.isSkiff))
        func removeRefusedWhileInUse(target: CRITarget) async throws {
            let pod = PodFixture(target, "inuse")
            try await pod.run { runtime, images, sandbox, config in
                let id = try await PodFixture.start(runtime, sandbox, config, pod.containerConfig("sleeper", ["sleep", "30"]))
                let (code, _) = await rpcCode { _ = try await images.removeImage(.with { $0.image.image = "busybox" }) }
                #expect(code == .failedPrecondition)
                _ = try await runtime.removeContainer(.with { $0.containerID = id })
            }
        }
    }
}
