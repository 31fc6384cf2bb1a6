import Foundation
import KubeAPI
import NIOCore

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
            Self.render(item, r: r, table: table, object: object, columns: first, into: &out)
            first = false
        }
        return out
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
