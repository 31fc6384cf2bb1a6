import Foundation
import HTTPTypes
import Hummingbird
import KubeAPI
import NIOCore

extension APIHandler {
    /// A watch: newline-delimited events over a chunked response, starting with synthetic ADDED
    /// events (no resourceVersion, or "0") or the retained events after the given revision.
    func watch(_ r: ResourceInfo, namespace: String?, options: RequestOptions, table: Bool) async throws -> Response {
        let f = try filter(r, namespace: namespace, options: options)
        let from: Int64?
        switch options.resourceVersion {
        case nil, "", "0": from = nil
        case let s?:
            guard let v = Int64(s) else { throw StatusError.badRequest("invalid resourceVersion \"\(s)\"") }
            from = v
            if v > store.cache.revision { _ = await store.cache.wait(for: v) }
        }
        if from == nil, options.resourceVersion == nil || options.resourceVersion == "" {
            try await store.cache.waitFresh()
        }
        let queue = EventQueue()
        let id: Int
        do {
            id = try store.cache.subscribe(f, from: from, queue: queue)
        } catch {
            // An expired revision is reported in the stream, as Kubernetes does, so clients relist.
            let line = WatchRenderer.eventLine(type: "ERROR", object: error.json.bytes)
            return APIResponse.bytes(line)
        }
        let cache = store.cache
        let timeout = Duration.seconds(options.timeoutSeconds.map { max(1, $0) } ?? 1800)
        let bookmarks = options.allowWatchBookmarks
        let tables = self.tables
        let object = rowObject(options)
        let channel = ConnectionChannel.current
        let body = ResponseBody { writer in
            let timer = Task {
                var elapsed = Duration.zero
                let tick = Duration.seconds(bookmarks ? 30 : 3600)
                while elapsed < timeout {
                    let step = min(tick, timeout - elapsed)
                    try? await Task.sleep(for: step)
                    if Task.isCancelled { return }
                    elapsed += step
                    if bookmarks && elapsed < timeout { queue.push(.bookmark(cache.revision)) }
                }
                queue.close()
            }
            defer {
                timer.cancel()
                cache.unsubscribe(id, resource: r)
            }
            let renderer = WatchRenderer(r: r, table: table ? tables : nil, object: object)
            if let channel, try await LoopWatchWriter(channel: channel, queue: queue, render: renderer.render).run() != nil {
                try await writer.finish(nil)
                return
            }
            while var batch = await queue.next() {
                // Let a burst gather: events committed together go out in one write.
                await Task.yield()
                batch += queue.drain()
                try await writer.write(renderer.render(batch, ByteBufferAllocator()))
            }
            try await writer.finish(nil)
        }
        var h = HTTPFields()
        h[.contentType] = "application/json"
        h[.cacheControl] = "no-cache, private"
        return Response(status: .ok, headers: h, body: body)
    }
}
