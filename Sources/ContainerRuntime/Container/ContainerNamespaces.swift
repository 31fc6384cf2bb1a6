import CRI

/// The namespaces of a container's OCI spec from its CRI `NamespaceOption` and its pod:
/// network and IPC are the pod's (or the node's); the PID namespace is the container's own
/// (CONTAINER), the pod's shared one (POD), the node's (NODE) or another container's (TARGET).
struct ContainerNamespaces: Sendable, Equatable {
    var options: Runtime_V1_NamespaceOption
    var netnsPath: String?
    var ipcPath: String?
    /// The pod's shared PID namespace; nil unless the sandbox was created with pid POD.
    var podPIDPath: String?
    /// The PID namespace of `options.targetID`, resolved by the caller; nil when it is not running.
    var targetPIDPath: String?

    func resolve() throws -> [OCISpec.Namespace] {
        var result: [OCISpec.Namespace] = [.init(type: "mount"), .init(type: "uts")]
        switch options.pid {
        case .node: break
        case .container: result.append(.init(type: "pid"))
        case .pod:
            // POD is the zero value. A sandbox made without a shared namespace (pid CONTAINER)
            // has no holder to join: the container then gets a namespace of its own, as it
            // would with containerd's pause, which is alone in its namespace.
            result.append(.init(type: "pid", path: podPIDPath))
        case .target:
            guard !options.targetID.isEmpty else { throw RuntimeError.invalidArgument("PID namespace TARGET needs a target_id") }
            guard let targetPIDPath else {
                throw RuntimeError.notFound("target container \(options.targetID) of the PID namespace is not running")
            }
            result.append(.init(type: "pid", path: targetPIDPath))
        case .UNRECOGNIZED(let value): throw RuntimeError.invalidArgument("unknown PID namespace mode \(value)")
        }
        if options.ipc != .node { result.append(.init(type: "ipc", path: ipcPath)) }
        if options.network != .node { result.append(.init(type: "network", path: netnsPath)) }
        return result
    }
}
