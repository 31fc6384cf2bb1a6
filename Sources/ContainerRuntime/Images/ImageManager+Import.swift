import Foundation

extension ImageManager {
    /// Loads every image of an OCI image layout archive (a tar of `oci-layout`, `index.json`,
    /// `blobs/`), naming each by its `org.opencontainers.image.ref.name` annotation.
    /// A bare tag annotation (`latest`) is combined with `name` when given.
    func importLayout(archive: String, name: String? = nil) async throws -> [ImageRecord] {
        let staging = NSTemporaryDirectory() + "skiff-import-\(UInt32.random(in: 0...UInt32.max))"
        try Files.mkdir(staging)
        defer { Files.remove(staging) }
        try await Command("/bin/tar", ["-x", "-f", archive, "-C", staging]).check()
        return try await importLayout(directory: staging, name: name)
    }

    func importLayout(directory: String, name base: String? = nil) async throws -> [ImageRecord] {
        guard let indexData = Files.read(directory + "/index.json") else {
            throw RuntimeError.invalidArgument("\(directory): not an OCI image layout (no index.json)")
        }
        let blob = { (digest: String) throws -> Data in
            let path = directory + "/blobs/" + digest.replacingOccurrences(of: ":", with: "/")
            guard let data = Files.read(path) else { throw RuntimeError.notFound("layout blob \(digest) missing") }
            return data
        }
        var records: [ImageRecord] = []
        for entry in try JSONDecoder().decode(OCIIndex.self, from: indexData).manifests {
            var descriptor = entry
            var data = try blob(descriptor.digest)
            if MediaType.isIndex(descriptor.mediaType) {
                guard case .manifest(let chosen) = selector.select(from: try JSONDecoder().decode(OCIIndex.self, from: data)) else { continue }
                descriptor = chosen
                data = try blob(chosen.digest)
            }
            let manifest = try JSONDecoder().decode(OCIManifest.self, from: data)
            try content.put(data, digest: descriptor.digest)
            let reference = ImageManager.importedReference(
                annotation: entry.annotations?["io.containerd.image.name"] ?? entry.annotations?["org.opencontainers.image.ref.name"], name: base)
            records.append(try await store(manifest: manifest, manifestDigest: descriptor.digest, reference: reference) { digest in
                try blob(digest)
            })
        }
        return records
    }

    /// A full reference annotation is used as is; a bare tag needs a name to go with it.
    static func importedReference(annotation: String?, name: String?) -> ImageReference? {
        if let annotation, annotation.contains("/") || annotation.contains("@") { return try? ImageReference(parsing: annotation) }
        guard let name else { return annotation.flatMap { try? ImageReference(parsing: $0) } }
        return try? ImageReference(parsing: annotation.map { "\(name):\($0)" } ?? name)
    }
}
