import CRI
import Foundation
import GRPCCore

/// CRI v1 ImageService on top of `NodeRuntime`'s image manager.
struct CRIImageService: Runtime_V1_ImageService.SimpleServiceProtocol {
    let runtime: NodeRuntime

    func listImages(request: Runtime_V1_ListImagesRequest, context: ServerContext) async throws -> Runtime_V1_ListImagesResponse {
        let wanted = request.filter.image.image
        var images = await runtime.images.images.all()
        if !wanted.isEmpty {
            let match = await runtime.images.images.find(wanted)
            images = images.filter { $0.id == match?.id }
        }
        return .with { $0.images = images.map(\.criImage) }
    }

    func imageStatus(request: Runtime_V1_ImageStatusRequest, context: ServerContext) async throws -> Runtime_V1_ImageStatusResponse {
        // An unknown image is not an error: the response simply has no image.
        guard let record = await runtime.images.images.find(request.image.image) else { return .init() }
        return .with {
            $0.image = record.criImage
            if request.verbose {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                $0.info = ["info": String(decoding: (try? encoder.encode(record)) ?? Data(), as: UTF8.self)]
            }
        }
    }

    func pullImage(request: Runtime_V1_PullImageRequest, context: ServerContext) async throws -> Runtime_V1_PullImageResponse {
        try await translate {
            let auth = request.auth
            let credentials = RegistryCredentials(username: auth.username, password: auth.password, auth: auth.auth,
                                                  registryToken: auth.registryToken.isEmpty ? auth.identityToken : auth.registryToken)
            let record = try await runtime.images.pull(request.image.image, credentials: credentials)
            return .with { $0.imageRef = record.id }
        }
    }

    func removeImage(request: Runtime_V1_RemoveImageRequest, context: ServerContext) async throws -> Runtime_V1_RemoveImageResponse {
        try await translate {
            try await runtime.images.remove(request.image.image) { await runtime.imageInUse($0) }
            return .init()
        }
    }

    func imageFsInfo(request: Runtime_V1_ImageFsInfoRequest, context: ServerContext) async throws -> Runtime_V1_ImageFsInfoResponse {
        let root = runtime.configuration.rootDirectory
        let images = Files.usage(root + "/images")
        let writable = Files.usage(root + "/bundles")
        let now = Timestamp.nanos()
        func usage(_ path: String, _ used: (bytes: UInt64, inodes: UInt64)) -> Runtime_V1_FilesystemUsage {
            .with {
                $0.timestamp = now
                $0.fsID = .with { $0.mountpoint = path }
                $0.usedBytes = .with { $0.value = used.bytes }
                $0.inodesUsed = .with { $0.value = used.inodes }
            }
        }
        return .with {
            $0.imageFilesystems = [usage(root + "/images", images)]
            $0.containerFilesystems = [usage(root + "/bundles", writable)]
        }
    }
}
