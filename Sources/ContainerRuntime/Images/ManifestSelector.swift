/// Picks the manifest for this node out of an image index.
struct ManifestSelector: Sendable {
    var os = "linux"
    var architecture = "amd64"

    enum Choice: Equatable {
        case manifest(OCIDescriptor)
        case noMatch(available: [String])
    }

    func select(from index: OCIIndex) -> Choice {
        let candidates = index.manifests.filter { MediaType.isManifest($0.mediaType) || $0.mediaType == nil }
        // An index whose entries carry no platform (common in single-image OCI layouts) means "this one".
        if let match = candidates.first(where: { $0.platform?.os == os && $0.platform?.architecture == architecture }) {
            return .manifest(match)
        }
        if let plain = candidates.first(where: { $0.platform == nil }) {
            return .manifest(plain)
        }
        return .noMatch(available: index.manifests.compactMap { $0.platform.map { "\($0.os)/\($0.architecture)" } })
    }
}
