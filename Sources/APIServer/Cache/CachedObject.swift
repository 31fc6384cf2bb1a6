import KubeAPI

/// One object as the watch cache holds it: its serialized form (with resourceVersion) ready to
/// send, and the labels and fields that selectors look at, so lists and watches need no parsing.
public struct CachedObject: Sendable {
    public var key: String
    public var namespace: String
    public var name: String
    public var bytes: [UInt8]
    public var labels: [String: String]
    public var fields: [String: String]
    public var revision: Int64

    public var json: JSON { (try? JSONParser.parse(bytes)) ?? .null }

    /// Builds the cached form from stored bytes, stamping the revision it was read at.
    public init?(key: String, stored: [UInt8], revision: Int64, resource: ResourceInfo) {
        guard var obj = try? JSONParser.parse(stored) else { return nil }
        obj[path: ["metadata", "resourceVersion"]] = .string(String(revision))
        self.init(key: key, object: obj, revision: revision, resource: resource)
    }

    public init(key: String, object obj: JSON, revision: Int64, resource: ResourceInfo) {
        self.key = key
        self.namespace = obj[path: ["metadata", "namespace"]]?.string ?? ""
        self.name = obj[path: ["metadata", "name"]]?.string ?? ""
        self.bytes = obj.bytes
        var labels: [String: String] = [:]
        if let l = obj[path: ["metadata", "labels"]]?.object {
            for (k, v) in l { labels[k] = v.string ?? "" }
        }
        self.labels = labels
        self.fields = SelectableFields.fields(of: obj, resource: resource)
        self.revision = revision
    }
}
