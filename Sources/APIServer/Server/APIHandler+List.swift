import Foundation
import HTTPTypes
import Hummingbird
import KubeAPI
import NIOCore
import Storage

extension APIHandler {
    func filter(_ r: ResourceInfo, namespace: String?, options: RequestOptions) throws -> WatchFilter {
        var labels: LabelSelector?
        var fields: FieldSelector?
        if let l = options.labelSelector, !l.isEmpty {
            do { labels = try LabelSelector(parsing: l) } catch {
                throw StatusError.badRequest("unable to parse requirement: \(error)")
            }
        }
        if let f = options.fieldSelector, !f.isEmpty {
            let fs: FieldSelector
            do { fs = try FieldSelector(parsing: f) } catch {
                throw StatusError.badRequest("invalid field selector: \(error)")
            }
            let supported = SelectableFields.supported(r)
            for req in fs.requirements where !supported.contains(req.field) {
                throw StatusError.badRequest("field label not supported: \(req.field)")
            }
            fields = fs
        }
        return WatchFilter(resource: r, namespace: namespace, labels: labels, fields: fields)
    }

    /// A continue token: the revision of the first page and the last key sent.
    struct ContinueToken: Codable {
        var rv: Int64
        var start: String

        var encoded: String { Data((try? JSONEncoder().encode(self)) ?? Data()).base64EncodedString() }

        init(rv: Int64, start: String) { self.rv = rv; self.start = start }

        init(_ s: String) throws {
            guard let d = Data(base64Encoded: s), let t = try? JSONDecoder().decode(ContinueToken.self, from: d) else {
                throw StatusError.badRequest("continue key is not valid: illegal base64 data")
            }
            self = t
        }
    }

    func listItems(_ r: ResourceInfo, namespace: String?, options: RequestOptions) async throws
        -> (items: [CachedObject], revision: Int64, next: String?)
    {
        let f = try filter(r, namespace: namespace, options: options)
        let limit = options.limit ?? Int.max
        if let token = options.continueToken {
            let t = try ContinueToken(token)
            let snapshot: [CachedObject]
            if store.cache.revision == t.rv {
                snapshot = store.cache.list(f).items.filter { $0.key > t.start }
            } else {
                // The collection changed since the first page: read it as it was then.
                let page: ListResult
                do {
                    page = try await store.backend.list(prefix: r.collectionPrefix(namespace: namespace), revision: t.rv,
                                                        startAfter: t.start, limit: nil)
                } catch StorageError.compacted {
                    throw StatusError.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                }
                snapshot = page.items.compactMap { CachedObject(key: $0.key, stored: $0.value, revision: $0.modRevision, resource: r) }
                    .filter(f.matches)
            }
            let items = Array(snapshot.prefix(limit))
            let next = snapshot.count > limit ? ContinueToken(rv: t.rv, start: items.last!.key).encoded : nil
            return (items, t.rv, next)
        }
        if options.resourceVersion != "0" {
            if let rv = options.resourceVersion.flatMap(Int64.init), rv > 0 {
                _ = await store.cache.wait(for: rv)
            } else {
                try await store.cache.waitFresh()
            }
        }
        let (all, rev) = store.cache.list(f)
        if all.count > limit {
            let items = Array(all.prefix(limit))
            return (items, rev, ContinueToken(rv: rev, start: items.last!.key).encoded)
        }
        return (all, rev, nil)
    }

    func list(_ r: ResourceInfo, namespace: String?, options: RequestOptions, table: Bool) async throws -> Response {
        let (items, rev, next) = try await listItems(r, namespace: namespace, options: options)
        if table {
            let t = tables.table(for: r, rows: items.map(\.json), resourceVersion: String(rev), continueToken: next,
                                 remaining: nil, object: rowObject(options))
            return APIResponse.json(t)
        }
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(128) { $0 + $1.bytes.count + 1 })
        out += Array("{\"kind\":\"\(r.listKind)\",\"apiVersion\":\"\(r.apiVersion)\",\"metadata\":{\"resourceVersion\":\"\(rev)\"".utf8)
        if let next { out += Array(",\"continue\":\"\(next)\"".utf8) }
        out += Array("},\"items\":[".utf8)
        for (i, o) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += o.bytes
        }
        out += Array("]}".utf8)
        return APIResponse.bytes(out)
    }

    func deleteCollection(_ request: Request, _ r: ResourceInfo, namespace: String?, options: RequestOptions) async throws -> Response {
        let body = try await readOptionalBody(request, r)
        let opts = try DeleteOptions(body: body, query: options)
        var all = options
        all.limit = nil
        all.continueToken = nil
        let (items, _, _) = try await listItems(r, namespace: namespace, options: all)
        var deleted: [JSON] = []
        for o in items {
            do {
                let res = try await store.delete(r, namespace: o.namespace.isEmpty ? nil : o.namespace, name: o.name, options: opts)
                deleted.append(res.object)
            } catch let e as StatusError where e.code == 404 {
                continue
            }
        }
        let list: JSON = ["kind": .string(r.listKind), "apiVersion": .string(r.apiVersion),
                          "metadata": ["resourceVersion": .string(String(store.cache.revision))], "items": .array(deleted)]
        return APIResponse.json(list)
    }
}
