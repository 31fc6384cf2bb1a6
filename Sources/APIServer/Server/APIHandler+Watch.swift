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
            let line = Self.eventLine(type: "ERROR", object: error.json.bytes)
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

    /// Renders batches of a watch's items; the first one of a table watch carries the columns.
    final class WatchRenderer: @unchecked Sendable {
        let r: ResourceInfo
        let table: TableConverter?
        let object: TableConverter.RowObject
        private var first = true

        init(r: ResourceInfo, table: TableConverter?, object: TableConverter.RowObject) {
            self.r = r
            self.table = table
            self.object = object
        }

        func render(_ batch: [WatchItem], _ allocator: ByteBufferAllocator) -> ByteBuffer {
            // One cached event line is the body as it is, uncopied.
            if batch.count == 1, table == nil, case .event(_, _, let line?) = batch[0] { return line }
            var out = allocator.buffer(capacity: 0)
            for item in batch {
                APIHandler.render(item, r: r, table: table, object: object, columns: first, into: &out)
                first = false
            }
            return out
        }
    }

    static func eventLine(type: String, object: [UInt8]) -> [UInt8] {
        var out = Array("{\"type\":\"\(type)\",\"object\":".utf8)
        out += object
        out += Array("}\n".utf8)
        return out
    }

    static func render(_ item: WatchItem, r: ResourceInfo, table: TableConverter?, object: TableConverter.RowObject,
                       columns: Bool, into out: inout ByteBuffer) {
        switch item {
        case .event(let t, let o, let line):
            if let table {
                let doc = table.table(for: r, rows: [o.json], resourceVersion: String(o.revision), continueToken: nil,
                                      remaining: nil, object: object, includeColumns: columns)
                out.writeBytes(eventLine(type: t.rawValue, object: doc.bytes))
            } else if var line {
                out.writeBuffer(&line)
            } else {
                out.writeBytes(eventLine(type: t.rawValue, object: o.bytes))
            }
        case .bookmark(let rev):
            let obj: JSON = ["kind": .string(r.kind), "apiVersion": .string(r.apiVersion),
                             "metadata": ["resourceVersion": .string(String(rev))]]
            out.writeBytes(eventLine(type: "BOOKMARK", object: obj.bytes))
        case .error(let e):
            out.writeBytes(eventLine(type: "ERROR", object: e.json.bytes))
        }
    }
}
