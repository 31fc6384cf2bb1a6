import KubeAPI

/// One object as the watch cache holds it: its serialized form (with resourceVersion) ready to
/// send, and the labels and fields that selectors look at, so lists and watches need no parsing.
///
/// The parts live in one shared, immutable box: the fan-out copies an object into every
/// watcher's queue, and a copy is then one reference count instead of one per string,
/// array and dictionary (each bumped from every core that a watcher's writer runs on).
public struct CachedObject: Sendable {
    final class Parts: Sendable {
        let key: String
        let namespace: String
        let name: String
        let bytes: [UInt8]
        let labels: [String: String]
        let fields: [String: String]
        let revision: Int64

        init(key: String, namespace: String, name: String, bytes: [UInt8], labels: [String: String],
             fields: [String: String], revision: Int64) {
            self.key = key
            self.namespace = namespace
            self.name = name
            self.bytes = bytes
            self.labels = labels
            self.fields = fields
            self.revision = revision
        }
    }

    private let parts: Parts

    public var key: String { parts.key }
    public var namespace: String { parts.namespace }
    public var name: String { parts.name }
    public var bytes: [UInt8] { parts.bytes }
    public var labels: [String: String] { parts.labels }
    public var fields: [String: String] { parts.fields }
    public var revision: Int64 { parts.revision }

    public var json: JSON { (try? JSONParser.parse(parts.bytes)) ?? .null }

    /// Builds the cached form from stored bytes, stamping the revision it was read at.
    public init?(key: String, stored: [UInt8], revision: Int64, resource: ResourceInfo) {
        guard var obj = try? JSONParser.parse(stored) else { return nil }
        obj[path: ["metadata", "resourceVersion"]] = .string(String(revision))
        self.init(key: key, object: obj, revision: revision, resource: resource)
    }

    public init(key: String, object obj: JSON, revision: Int64, resource: ResourceInfo) {
        var labels: [String: String] = [:]
        if let l = obj[path: ["metadata", "labels"]]?.object {
            for (k, v) in l { labels[k] = v.string ?? "" }
        }
        parts = Parts(key: key, namespace: obj[path: ["metadata", "namespace"]]?.string ?? "",
                      name: obj[path: ["metadata", "name"]]?.string ?? "", bytes: obj.bytes, labels: labels,
                      fields: SelectableFields.fields(of: obj, resource: resource), revision: revision)
    }
}
