/// The JSON documents of the OCI image and distribution specs that pulling needs.
struct OCIDescriptor: Codable, Sendable, Equatable {
    struct Platform: Codable, Sendable, Equatable {
        var architecture: String
        var os: String
        var variant: String?
    }
    var mediaType: String?
    var digest: String
    var size: Int64
    var platform: Platform?
    var annotations: [String: String]?
}

struct OCIManifest: Codable, Sendable {
    var schemaVersion: Int
    var mediaType: String?
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
}

struct OCIIndex: Codable, Sendable {
    var schemaVersion: Int
    var mediaType: String?
    var manifests: [OCIDescriptor]
}

/// The image configuration's runtime defaults and its layer diff IDs.
struct OCIImageConfig: Codable, Sendable, Equatable {
    struct Runtime: Codable, Sendable, Equatable {
        var User: String?
        var Env: [String]?
        var Entrypoint: [String]?
        var Cmd: [String]?
        var WorkingDir: String?
        var StopSignal: String?
    }
    struct RootFS: Codable, Sendable, Equatable {
        var type: String
        var diff_ids: [String]
    }
    var architecture: String?
    var os: String?
    var config: Runtime?
    var rootfs: RootFS
}

/// Detects the kind of a manifest document when the registry's Content-Type is missing or vague.
struct ManifestProbe: Decodable {
    var mediaType: String?
    var manifests: [OCIDescriptor]?
    var layers: [OCIDescriptor]?

    var kind: String? {
        if let mediaType, MediaType.isIndex(mediaType) || MediaType.isManifest(mediaType) { return mediaType }
        if manifests != nil { return MediaType.ociIndex }
        if layers != nil { return MediaType.ociManifest }
        return nil
    }
}
