import KubeAPI

public struct ContainerPort: Sendable, Equatable {
    public var name: String?
    public var containerPort: Int64
    public var hostPort: Int64?
    public var hostIP: String?
    public var `protocol`: String

    init(json: JSON) {
        name = json.string("name")
        containerPort = json.int("containerPort") ?? 0
        hostPort = json.int("hostPort")
        hostIP = json.string("hostIP")
        `protocol` = json.string("protocol") ?? "TCP"
    }
}
