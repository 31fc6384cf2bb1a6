import CRI
import Foundation

extension SandboxRecord {
    var criState: Runtime_V1_PodSandboxState { state == .ready ? .sandboxReady : .sandboxNotready }

    var criSandbox: Runtime_V1_PodSandbox {
        let config = self.config
        return .with {
            $0.id = id
            $0.metadata = config.metadata
            $0.state = criState
            $0.createdAt = createdAt
            $0.labels = config.labels
            $0.annotations = config.annotations
            $0.runtimeHandler = runtimeHandler
        }
    }

    var criStatus: Runtime_V1_PodSandboxStatus {
        let config = self.config
        return .with {
            $0.id = id
            $0.metadata = config.metadata
            $0.state = criState
            $0.createdAt = createdAt
            $0.labels = config.labels
            $0.annotations = config.annotations
            $0.runtimeHandler = runtimeHandler
            if let first = ips.first {
                $0.network = .with { network in
                    network.ip = first
                    network.additionalIps = ips.dropFirst().map { ip in .with { $0.ip = ip } }
                }
            }
            $0.linux = .with { $0.namespaces.options = config.linux.securityContext.namespaceOptions }
        }
    }
}

extension ContainerRecord {
    func criContainer(_ phase: ContainerPhase) -> Runtime_V1_Container {
        let config = self.config
        return .with {
            $0.id = id
            $0.podSandboxID = sandboxID
            $0.metadata = config.metadata
            $0.image = config.image
            $0.imageRef = imageID
            $0.imageID = imageID
            $0.state = phase.state
            $0.createdAt = createdAt
            $0.labels = config.labels
            $0.annotations = config.annotations
        }
    }

    func criStatus(_ phase: ContainerPhase) -> Runtime_V1_ContainerStatus {
        let config = self.config
        return .with {
            $0.id = id
            $0.metadata = config.metadata
            $0.state = phase.state
            $0.createdAt = createdAt
            $0.startedAt = startError == nil ? (startedAt ?? 0) : 0
            $0.finishedAt = exit?.finishedAt ?? (startError != nil ? (startedAt ?? 0) : 0)
            $0.exitCode = phase.exitCode
            $0.image = config.image
            $0.imageRef = imageID
            $0.imageID = imageID
            $0.reason = phase.reason
            $0.message = startError ?? ""
            $0.labels = config.labels
            $0.annotations = config.annotations
            $0.mounts = config.mounts
            $0.logPath = logPath
            $0.resources = .with { $0.linux = resources }
        }
    }
}

extension ImageRecord {
    var criImage: Runtime_V1_Image {
        .with {
            $0.id = id
            $0.repoTags = repoTags
            $0.repoDigests = repoDigests
            $0.size = size
            if let uid { $0.uid = .with { $0.value = uid } }
            $0.username = username
            $0.spec = .with { $0.image = id }
        }
    }
}
