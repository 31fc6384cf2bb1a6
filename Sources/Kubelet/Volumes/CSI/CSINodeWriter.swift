import KubeAPI
import KubeClient

/// Writes the node's CSINode (`CSINodeObject`) through the API server: created on the first
/// registered driver, updated (read, change, write back with its resourceVersion) after.
struct CSINodeWriter: Sendable {
    let client: KubeClient
    let node: String

    private var path: String { "/apis/storage.k8s.io/v1/csinodes/\(node)" }

    /// Adds or replaces a driver's entry; false when it must be tried again.
    func add(_ driver: CSINodeObject.Driver) async -> Bool {
        await change(initial: [driver]) { CSINodeObject.adding(driver, to: $0) }
    }

    /// Removes a driver's entry; false when it must be tried again.
    func remove(_ name: String) async -> Bool {
        await change(initial: nil) { CSINodeObject.removing(name, from: $0) }
    }

    private func change(initial: [CSINodeObject.Driver]?, _ edit: (JSON) -> JSON?) async -> Bool {
        do {
            guard let changed = edit(try await client.get(path)) else { return true }
            _ = try await client.update(path, changed)
            return true
        } catch let e as KubeClientError where e.isNotFound {
            guard let initial else { return true }
            let uid = try? await client.get("/api/v1/nodes/\(node)")[path: ["metadata", "uid"]]?.string
            do {
                _ = try await client.create("/apis/storage.k8s.io/v1/csinodes", CSINodeObject.new(node: node, nodeUID: uid, drivers: initial))
                return true
            } catch {
                return false
            }
        } catch {
            return false
        }
    }
}
