@testable import ContainerRuntime
import Foundation

/// Writes a one-layer OCI image layout to a temporary directory: a gzip layer holding the given
/// files, and a config whose `rootfs.diff_ids` is the true digest unless `diffID` overrides it.
struct LayoutFixture {
    let directory: String
    let trueDiffID: String
    let layerDigest: String

    init(files: [String: String] = ["hello.txt": "hello\n"], diffID: String? = nil) throws {
        directory = NSTemporaryDirectory() + "skiff-layout-\(UInt32.random(in: 0...UInt32.max))"
        let rootfs = directory + "/rootfs", blobs = directory + "/blobs/sha256"
        for dir in [rootfs, blobs] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: rootfs + "/" + name)) }
        try LayoutFixture.run("/bin/tar", ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-cf", directory + "/layer.tar", "-C", rootfs, "."])
        try LayoutFixture.run("/usr/bin/gzip", ["-n", "-k", directory + "/layer.tar"])
        let tar = try Data(contentsOf: URL(fileURLWithPath: directory + "/layer.tar"))
        let gzipped = try Data(contentsOf: URL(fileURLWithPath: directory + "/layer.tar.gz"))
        trueDiffID = RegistryClient.digest(of: tar)
        layerDigest = try LayoutFixture.blob(gzipped, in: blobs)
        let config = #"{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["\#(diffID ?? trueDiffID)"]}}"#
        let configData = Data(config.utf8)
        let configDigest = try LayoutFixture.blob(configData, in: blobs)
        let manifest = Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(configData.count)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(layerDigest)","size":\#(gzipped.count)}]}"#.utf8)
        let manifestDigest = try LayoutFixture.blob(manifest, in: blobs)
        let index = #"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(manifestDigest)","size":\#(manifest.count),"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}"#
        try Data(index.utf8).write(to: URL(fileURLWithPath: directory + "/index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: directory + "/oci-layout"))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    private static func blob(_ data: Data, in directory: String) throws -> String {
        let digest = RegistryClient.digest(of: data)
        try data.write(to: URL(fileURLWithPath: directory + "/" + digest.dropFirst("sha256:".count)))
        return digest
    }

    private static func run(_ path: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RuntimeError.command("\(path) failed") }
    }
}
