@testable import ContainerRuntime
import Testing

@Suite struct ManifestSelectorTests {
    static func entry(_ digest: String, _ os: String?, _ arch: String?, type: String = MediaType.ociManifest) -> OCIDescriptor {
        OCIDescriptor(mediaType: type, digest: digest, size: 1,
                      platform: os.map { OCIDescriptor.Platform(architecture: arch!, os: $0) }, annotations: nil)
    }

    @Test(arguments: [
        ([entry("arm", "linux", "arm64"), entry("amd", "linux", "amd64")], "amd"),
        ([entry("win", "windows", "amd64"), entry("amd", "linux", "amd64", type: MediaType.dockerManifest)], "amd"),
        ([entry("plain", nil, nil)], "plain"),
        ([entry("attest", "unknown", "unknown"), entry("amd", "linux", "amd64")], "amd"),
    ])
    func picksLinuxAmd64(manifests: [OCIDescriptor], expected: String) {
        let choice = ManifestSelector().select(from: OCIIndex(schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: manifests))
        #expect(choice == .manifest(manifests.first { $0.digest == expected }!))
    }

    @Test func reportsWhatIsAvailable() {
        let index = OCIIndex(schemaVersion: 2, mediaType: nil, manifests: [Self.entry("arm", "linux", "arm64")])
        #expect(ManifestSelector().select(from: index) == .noMatch(available: ["linux/arm64"]))
    }

    @Test(arguments: [
        (#"{"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#, MediaType.ociIndex),
        (#"{"manifests":[]}"#, MediaType.ociIndex),
        (#"{"schemaVersion":2,"layers":[]}"#, MediaType.ociManifest),
        (#"{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[]}"#, MediaType.dockerManifest),
    ])
    func probesKind(json: String, expected: String) throws {
        #expect(try JSONDecoder().decode(ManifestProbe.self, from: Data(json.utf8)).kind == expected)
    }
}

import Foundation
