import CRI
import GRPCCore

/// CRI v1 ImageService of a simulated node: a pull succeeds at once and the image is present
/// from then on, so the kubelet's image policy (Always, IfNotPresent, Never) still shows.
struct SimulatedImageService: Runtime_V1_ImageService.SimpleServiceProtocol {
    let node: SimulatedNode

    func listImages(request: Runtime_V1_ListImagesRequest, context: ServerContext) async throws -> Runtime_V1_ListImagesResponse {
        .with { $0.images = node.images() }
    }

    func imageStatus(request: Runtime_V1_ImageStatusRequest, context: ServerContext) async throws -> Runtime_V1_ImageStatusResponse {
        .with { if let image = node.imageStatus(request.image.image) { $0.image = image } }
    }

    func pullImage(request: Runtime_V1_PullImageRequest, context: ServerContext) async throws -> Runtime_V1_PullImageResponse {
        do {
            let ref = try node.pull(request.image.image)
            return .with { $0.imageRef = ref }
        } catch {
            throw error.rpcError
        }
    }

    func removeImage(request: Runtime_V1_RemoveImageRequest, context: ServerContext) async throws -> Runtime_V1_RemoveImageResponse {
        node.removeImage(request.image.image)
        return .init()
    }

    func imageFsInfo(request: Runtime_V1_ImageFsInfoRequest, context: ServerContext) async throws -> Runtime_V1_ImageFsInfoResponse {
        let count = UInt64(node.images().count)
        return .with {
            $0.imageFilesystems = [.with {
                $0.timestamp = Int64(0)
                $0.fsID.mountpoint = "/simulated"
                $0.usedBytes.value = count * SimulatedNode.imageSize
                $0.inodesUsed.value = count
            }]
        }
    }
}
