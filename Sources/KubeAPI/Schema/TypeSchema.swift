/// One field of a definition, with the strategic-merge facts that govern patches of it.
public struct FieldSchema: Sendable, Equatable {
    public var type: FieldType
    /// e.g. ["merge"], ["merge", "retainKeys"], ["retainKeys"]; empty means replace.
    public var patchStrategy: [String]
    public var mergeKey: String?
    /// "atomic", "set" or "map" (x-kubernetes-list-type).
    public var listType: String?

    public var mergesByKey: Bool { patchStrategy.contains("merge") }
}

/// One definition (an object type) of the schema.
public struct TypeSchema: Sendable {
    public var name: String
    public var required: [String]
    public var fields: [String: FieldSchema]
    /// group/version/kind for top-level kinds.
    public var groupVersionKind: (group: String, version: String, kind: String)?
}
