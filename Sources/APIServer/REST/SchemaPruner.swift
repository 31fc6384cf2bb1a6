import KubeAPI

/// Drops fields the schema does not know, as decoding into Kubernetes' Go types does.
enum SchemaPruner {
    static func prune(_ obj: inout JSON, definition: TypeSchema) {
        prune(&obj, type: .ref(definition.name))
    }

    static func prune(_ v: inout JSON, type: FieldType) {
        switch (type, v) {
        case (.ref(let name), .object(var o)):
            guard let def = Schema.shared.definition(named: name) else { return }
            for key in o.keys {
                guard let f = def.fields[key] else {
                    if key != "apiVersion" && key != "kind" { o[key] = nil }
                    continue
                }
                var child = o[key]!
                prune(&child, type: f.type)
                o[key] = child
            }
            v = .object(o)
        case (.list(let e), .array(var a)):
            for i in a.indices { prune(&a[i], type: e) }
            v = .array(a)
        case (.map(let e), .object(var o)):
            for key in o.keys {
                var child = o[key]!
                prune(&child, type: e)
                o[key] = child
            }
            v = .object(o)
        default:
            return
        }
    }
}
