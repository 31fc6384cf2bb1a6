/// The object schemas of the kinds Skiff serves, parsed once from the generated text.
public final class Schema: Sendable {
    public static let shared = Schema(text: SchemaText.text)

    public let definitions: [String: TypeSchema]
    private let kinds: [String: String]
    /// The definitions with a quantity somewhere inside them (a pod, a container, its resources).
    private let quantityHolders: Set<String>

    init(text: String) {
        var defs: [String: TypeSchema] = [:]
        var kinds: [String: String] = [:]
        var current: TypeSchema?
        func flush() {
            if let c = current {
                defs[c.name] = c
                if let g = c.groupVersionKind { kinds[Schema.kindKey(g.group, g.version, g.kind)] = c.name }
            }
        }
        for line in text.split(separator: "\n") {
            if line.hasPrefix("@") {
                flush()
                let parts = line.dropFirst().split(separator: "|", omittingEmptySubsequences: false)
                var ts = TypeSchema(name: String(parts[0]), required: [], fields: [:], groupVersionKind: nil)
                if parts.count > 1 { ts.required = parts[1].split(separator: ",").map(String.init) }
                if parts.count > 2 {
                    let g = parts[2].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                    ts.groupVersionKind = (g[0], g[1], g[2])
                }
                current = ts
            } else if line.hasPrefix(" ") {
                let p = line.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
                guard p.count >= 2, let t = FieldType(code: p[1]) else { continue }
                let strategy = p.count > 2 && !p[2].isEmpty ? p[2].split(separator: ",").map(String.init) : []
                let key = p.count > 3 && !p[3].isEmpty ? String(p[3]) : nil
                let lt = p.count > 4 && !p[4].isEmpty ? String(p[4]) : nil
                current?.fields[String(p[0])] = FieldSchema(type: t, patchStrategy: strategy, mergeKey: key, listType: lt)
            }
        }
        flush()
        self.definitions = defs
        self.kinds = kinds
        self.quantityHolders = Schema.quantityHolders(in: defs)
    }

    /// Whether a value of this type can hold a quantity, directly or in some member.
    public func mayHoldQuantity(_ t: FieldType) -> Bool {
        Schema.mayHoldQuantity(t, holders: quantityHolders)
    }

    private static func mayHoldQuantity(_ t: FieldType, holders: Set<String>) -> Bool {
        switch t {
        case .quantity: return true
        case .ref(let name): return holders.contains(name)
        case .list(let e), .map(let e): return mayHoldQuantity(e, holders: holders)
        default: return false
        }
    }

    /// Grows the set of holders until no definition is added: a definition holds a quantity if
    /// one of its fields does, through any depth of references.
    private static func quantityHolders(in defs: [String: TypeSchema]) -> Set<String> {
        var holders: Set<String> = []
        var grew = true
        while grew {
            grew = false
            for (name, def) in defs where !holders.contains(name) {
                if def.fields.values.contains(where: { mayHoldQuantity($0.type, holders: holders) }) {
                    holders.insert(name)
                    grew = true
                }
            }
        }
        return holders
    }

    private static func kindKey(_ g: String, _ v: String, _ k: String) -> String { "\(g)/\(v)/\(k)" }

    /// The definition of a top-level kind, e.g. ("", "v1", "Pod").
    public func definition(group: String, version: String, kind: String) -> TypeSchema? {
        kinds[Self.kindKey(group, version, kind)].flatMap { definitions[$0] }
    }

    public func definition(named name: String) -> TypeSchema? { definitions[name] }

    /// The schema of a field reached by following `path` of object keys from a definition;
    /// list and map elements are stepped through transparently.
    public func field(in def: TypeSchema, path: [String]) -> FieldSchema? {
        var def = def
        var result: FieldSchema?
        for (n, key) in path.enumerated() {
            guard let f = def.fields[key] else { return nil }
            result = f
            if n == path.count - 1 { break }
            guard let next = elementDefinition(f.type) else { return nil }
            def = next
        }
        return result
    }

    /// The definition of the objects a field holds (directly, in a list, or in a map).
    public func elementDefinition(_ t: FieldType) -> TypeSchema? {
        switch t {
        case .ref(let name): return definitions[name]
        case .list(let e), .map(let e): return elementDefinition(e)
        default: return nil
        }
    }
}
