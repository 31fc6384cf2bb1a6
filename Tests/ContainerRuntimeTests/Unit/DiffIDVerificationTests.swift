@testable import ContainerRuntime
import Foundation
import Testing

@Suite struct DiffIDVerificationTests {
    @Test func mismatchIsNilWhenDigestsAgree() {
        #expect(DiffIDMismatch(layer: "0", expected: "sha256:a", computed: "sha256:a") == nil)
        let mismatch = DiffIDMismatch(layer: "0 (sha256:blob)", expected: "sha256:a", computed: "sha256:b")
        #expect(mismatch?.message.contains("sha256:a") == true && mismatch?.message.contains("sha256:b") == true)
        #expect(mismatch?.message.contains("0 (sha256:blob)") == true)
    }

    @Test(arguments: [([UInt8]([0x1f, 0x8b, 8, 0]), LayerExtractor.Compression.gzip),
                      ([0x28, 0xb5, 0x2f, 0xfd], .zstd), ([0x2e, 0x2f, 0, 0], .none), ([], .none)])
    func compressionByMagic(magic: [UInt8], expected: LayerExtractor.Compression) {
        #expect(LayerExtractor.Compression(magic: magic) == expected)
    }

    static func manager() throws -> (ImageManager, String) {
        let root = NSTemporaryDirectory() + "skiff-store-\(UInt32.random(in: 0...UInt32.max))"
        return (try ImageImporter(rootDirectory: root).manager, root)
    }

    @Test func importWithTrueDiffIDUnpacks() async throws {
        let layout = try LayoutFixture()
        let (manager, root) = try Self.manager()
        defer { layout.remove(); Files.remove(root) }
        let records = try await manager.importLayout(directory: layout.directory, name: "docker.io/library/good")
        #expect(records.first?.layers == [layout.trueDiffID])
        #expect(Files.read(manager.layers.path(layout.trueDiffID) + "/hello.txt") == Data("hello\n".utf8))
    }

    @Test func importWithWrongDiffIDFailsAndKeepsNothing() async throws {
        let wrong = "sha256:" + String(repeating: "0", count: 64)
        let layout = try LayoutFixture(diffID: wrong)
        let (manager, root) = try Self.manager()
        defer { layout.remove(); Files.remove(root) }
        await #expect {
            _ = try await manager.importLayout(directory: layout.directory, name: "docker.io/library/bad")
        } throws: { error in
            let text = "\(error)"
            return text.contains(wrong) && text.contains(layout.trueDiffID) && text.contains(layout.layerDigest)
        }
        #expect(!manager.layers.has(wrong))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/images/layers").isEmpty)
        #expect(await manager.images.find("docker.io/library/bad") == nil)
    }
}
