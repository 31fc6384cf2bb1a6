import Foundation
import Logging

/// Pulls, imports, finds and removes images: the content store holds verified blobs, the layer
/// store their unpacked trees, the image store the records.
struct ImageManager: Sendable {
    let hosts: RegistryHosts
    let content: ContentStore
    let layers: LayerStore
    let images: ImageStore
    let selector = ManifestSelector()
    let logger: Logger

    init(root: String, hosts: RegistryHosts, logger: Logger) throws {
        self.hosts = hosts
        self.content = try ContentStore(root: root + "/blobs")
        self.layers = try LayerStore(root: root + "/layers")
        self.images = try ImageStore(file: root + "/images.json")
        self.logger = logger
    }

    func pull(_ name: String, credentials: RegistryCredentials) async throws -> ImageRecord {
        let reference: ImageReference
        do { reference = try ImageReference(parsing: name) } catch {
            throw RuntimeError.invalidArgument("invalid image reference \"\(name)\"")
        }
        let client = RegistryClient(endpoints: try hosts.endpoints(for: reference.domain), repository: reference.repository, credentials: credentials)
        var fetched = try await client.manifest(reference.manifestReference)
        if MediaType.isIndex(fetched.mediaType) {
            let index = try JSONDecoder().decode(OCIIndex.self, from: fetched.data)
            switch selector.select(from: index) {
            case .manifest(let descriptor):
                fetched = try await client.manifest(descriptor.digest)
            case .noMatch(let available):
                throw RuntimeError.notFound("\(reference): no linux/amd64 image (has \(available.joined(separator: ", ")))")
            }
        }
        guard MediaType.isManifest(fetched.mediaType) else {
            throw RuntimeError.invalidArgument("\(reference): unsupported manifest type \(fetched.mediaType ?? "unknown")")
        }
        let manifest = try JSONDecoder().decode(OCIManifest.self, from: fetched.data)
        try content.put(fetched.data, digest: fetched.digest)
        let record = try await store(manifest: manifest, manifestDigest: fetched.digest, reference: reference) { digest in
            try await client.blob(digest)
        }
        logger.info("pulled image", metadata: ["image": "\(reference)", "id": "\(record.id)"])
        return record
    }

    /// Fetches (when missing) and stores the config and layers of a manifest, then records the image.
    func store(manifest: OCIManifest, manifestDigest: String, reference: ImageReference?,
               fetch: (String) async throws -> Data) async throws -> ImageRecord {
        if !content.has(manifest.config.digest) {
            try content.put(try await fetch(manifest.config.digest), digest: manifest.config.digest)
        }
        let config = try JSONDecoder().decode(OCIImageConfig.self, from: try content.get(manifest.config.digest))
        guard config.rootfs.diff_ids.count == manifest.layers.count else {
            throw RuntimeError.io("image config lists \(config.rootfs.diff_ids.count) layers, manifest \(manifest.layers.count)")
        }
        var unpacked: [String] = []
        do {
            for (index, (layer, diffID)) in zip(manifest.layers, config.rootfs.diff_ids).enumerated() where !layers.has(diffID) {
                if !content.has(layer.digest) {
                    try content.put(try await fetch(layer.digest), digest: layer.digest)
                }
                _ = try await layers.unpack(blobPath: content.path(layer.digest), diffID: diffID, layer: "\(index) (\(layer.digest))")
                unpacked.append(diffID)
            }
        } catch {
            // The lower layers of an image that failed are nobody's: drop them again.
            let kept = await images.layersInUse()
            for diffID in unpacked where !kept.contains(diffID) { layers.remove(diffID) }
            throw error
        }
        let size = UInt64(manifest.config.size) + manifest.layers.reduce(0) { $0 + UInt64($1.size) }
        let record = ImageRecord(
            id: manifest.config.digest,
            repoTags: reference.flatMap { $0.tag != nil ? ["\($0.name):\($0.tag!)"] : nil } ?? [],
            repoDigests: reference.map { ["\($0.name)@\(manifestDigest)"] } ?? [],
            manifestDigest: manifestDigest, size: size, layers: config.rootfs.diff_ids,
            config: config.config ?? .init())
        try await images.add(record)
        return await images.find(record.id) ?? record
    }

    /// Removes an image unless a container uses it; unreferenced layers and blobs go with it.
    func remove(_ name: String, inUse: (String) async -> Bool) async throws {
        guard let record = await images.find(name) else { return }
        if await inUse(record.id) {
            throw RuntimeError.failedPrecondition("image \(name) (\(record.id)) is in use by a container")
        }
        try await images.remove(id: record.id)
        let kept = await images.layersInUse()
        for layer in record.layers where !kept.contains(layer) { layers.remove(layer) }
        content.remove(record.id)
        content.remove(record.manifestDigest)
    }

    /// The directories of an image's layers, topmost first, as overlayfs wants them.
    func layerPaths(_ record: ImageRecord) throws -> [String] {
        try record.layers.reversed().map { diffID in
            let path = layers.path(diffID)
            guard Files.exists(path) else { throw RuntimeError.notFound("layer \(diffID) of \(record.id) is missing") }
            return path
        }
    }
}
