import KubeAPI

/// What a reflector tells its consumer: the whole collection after a (re)list, then changes.
public enum InformerEvent: Sendable {
    /// The complete current set; anything the consumer holds that is not in it is gone.
    case replaced([JSON])
    case added(JSON)
    case modified(JSON)
    case deleted(JSON)
}

/// List, then watch from the list's resourceVersion, forever: a watch that ends is resumed from
/// the last version seen (bookmarks included), an expired version (410) relists, and failures
/// retry with a delay growing from 0.5 s to 8 s (client-go's Reflector, re-derived).
public struct Reflector: Sendable {
    public let client: KubeClient
    public let path: String
    public let query: [(String, String)]

    public init(client: KubeClient, path: String, labelSelector: String? = nil, fieldSelector: String? = nil) {
        self.client = client
        self.path = path
        var q: [(String, String)] = []
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        query = q
    }

    /// The event stream; cancelling the consuming task stops it.
    public func events() -> AsyncStream<InformerEvent> {
        let me = self
        return AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task { await me.run(continuation) }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func run(_ out: AsyncStream<InformerEvent>.Continuation) async {
        var resourceVersion: String?
        var delay = Duration.milliseconds(500)
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let list = try await client.get(path, query: query)
                    out.yield(.replaced(list["items"]?.array ?? []))
                    resourceVersion = list[path: ["metadata", "resourceVersion"]]?.string ?? "0"
                }
                for try await event in client.watch(path, resourceVersion: resourceVersion!, query: query) {
                    delay = .milliseconds(500)
                    if let rv = event.object[path: ["metadata", "resourceVersion"]]?.string { resourceVersion = rv }
                    switch event.type {
                    case .added: out.yield(.added(event.object))
                    case .modified: out.yield(.modified(event.object))
                    case .deleted: out.yield(.deleted(event.object))
                    case .bookmark: break
                    case .error:
                        // 410 Expired: the version is compacted away; anything else, start over too.
                        resourceVersion = nil
                    }
                    if resourceVersion == nil { break }
                }
            } catch let error as KubeClientError where error.isGone {
                resourceVersion = nil
            } catch {
                if Task.isCancelled { break }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(8))
            }
        }
        out.finish()
    }
}
