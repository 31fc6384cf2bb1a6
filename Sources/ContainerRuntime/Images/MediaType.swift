/// Media types of the OCI image spec and their Docker schema 2 equivalents.
enum MediaType {
    static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    static let ociIndex = "application/vnd.oci.image.index.v1+json"
    static let ociConfig = "application/vnd.oci.image.config.v1+json"
    static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    static let dockerConfig = "application/vnd.docker.container.image.v1+json"

    /// Sent on every manifest request: a registry hides OCI manifests from clients that don't accept them.
    static let manifestAccept = [ociManifest, ociIndex, dockerManifest, dockerManifestList].joined(separator: ", ")

    static func isIndex(_ type: String?) -> Bool { type == ociIndex || type == dockerManifestList }
    static func isManifest(_ type: String?) -> Bool { type == ociManifest || type == dockerManifest }
}
