import KubeAPI

/// What one watcher or list asks for: a resource, optionally one namespace, and selectors.
public struct WatchFilter: Sendable {
    public var resource: ResourceInfo
    public var namespace: String?
    public var labels: LabelSelector?
    public var fields: FieldSelector?

    public init(resource: ResourceInfo, namespace: String?, labels: LabelSelector?, fields: FieldSelector?) {
        self.resource = resource
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
    }

    public func matches(_ o: CachedObject) -> Bool {
        if let ns = namespace, resource.namespaced, o.namespace != ns { return false }
        if let l = labels, !l.matches(o.labels) { return false }
        if let f = fields, !f.matches(o.fields) { return false }
        return true
    }
}
