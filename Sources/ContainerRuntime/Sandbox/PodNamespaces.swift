import Foundation

/// Pod-level network and IPC namespaces kept alive by bind mounts onto files, so no pause
/// process is needed: containers join them by path.
struct PodNamespaces: Sendable {
    let directory: String

    init(directory: String) throws {
        self.directory = directory
        try Files.mkdir(directory)
        if !Mounts.isMountPoint(directory) { try Mounts.makePrivate(directory) }
    }

    func paths(_ id: String) -> (net: String, ipc: String) {
        ("\(directory)/\(id)-net", "\(directory)/\(id)-ipc")
    }

    /// Creates the requested namespaces and returns their paths (nil for a namespace not created).
    func create(_ id: String, network: Bool, ipc: Bool) async throws -> (net: String?, ipc: String?) {
        guard network || ipc else { return (nil, nil) }
        let (net, ipcPath) = paths(id)
        var arguments: [String] = []
        if network { _ = FileManager.default.createFile(atPath: net, contents: nil); arguments.append("--net=\(net)") }
        if ipc { _ = FileManager.default.createFile(atPath: ipcPath, contents: nil); arguments.append("--ipc=\(ipcPath)") }
        do {
            try await Command("/usr/bin/unshare", arguments + ["/bin/true"]).check()
        } catch {
            remove(id)
            throw error
        }
        return (network ? net : nil, ipc ? ipcPath : nil)
    }

    func remove(_ id: String) {
        let (net, ipc) = paths(id)
        for path in [net, ipc] where Files.exists(path) {
            Mounts.unmount(path)
            unlink(path)
        }
    }
}
