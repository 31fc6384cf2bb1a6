import KubeAPI

/// OpenAPI v3 as kubectl's client-side validation reads it: per group-version, a PATCH
/// operation for each kind that declares the `fieldValidation` parameter (so kubectl leaves
/// validation to the server), plus object schemas built from our own schema table.
public enum OpenAPI {
    static let hash = "5b1d1c1a0c5b4e3f8e1d2c3b4a596877"

    static func gvPath(_ g: String, _ v: String) -> String { g.isEmpty ? "api/\(v)" : "apis/\(g)/\(v)" }

    public static func root() -> JSON {
        var paths = JSONObject()
        for gv in ResourceCatalog.groupVersions {
            let p = gvPath(gv.group, gv.version)
            paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)?hash=\(hash)")]
        }
        return ["paths": .object(paths)]
    }

    /// The document for `api/v1` or `apis/<g>/<v>`; nil if not served.
    public static func document(path: String) -> JSON? {
        guard let gv = ResourceCatalog.groupVersions.first(where: { gvPath($0.group, $0.version) == path }) else { return nil }
        var paths = JSONObject()
        var schemas = JSONObject()
        var kinds: [(ResourceInfo, String)] = ResourceCatalog.resources(group: gv.group, version: gv.version).map { ($0, $0.kind) }
        if gv.group == "policy" {
            kinds = [(ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!, "Eviction")]
        }
        for (r, kind) in kinds {
            let base = "/" + gvPath(r.group, r.version)
            let item = r.namespaced ? "\(base)/namespaces/{namespace}/\(r.resource)/{name}" : "\(base)/\(r.resource)/{name}"
            let path = kind == "Eviction" ? "/api/v1/namespaces/{namespace}/pods/{name}/eviction" : item
            let gvk: JSON = ["group": .string(gv.group), "version": .string(gv.version), "kind": .string(kind)]
            let param: JSON = ["name": "fieldValidation", "in": "query", "schema": ["type": "string"],
                               "description": "Strict, Warn or Ignore"]
            let op: JSON = ["operationId": .string("patch\(kind)"), "parameters": [param],
                            "x-kubernetes-group-version-kind": gvk,
                            "responses": ["200": ["description": "OK"]]]
            let verbKey = kind == "Eviction" ? "post" : "patch"
            paths[path] = .object(JSONObject([(verbKey, op)]))
            if let def = Schema.shared.definition(group: gv.group, version: gv.version, kind: kind) {
                addSchema(def.name, into: &schemas)
            }
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.4"],
                "paths": .object(paths), "components": ["schemas": .object(schemas)]]
    }

    static func addSchema(_ name: String, into schemas: inout JSONObject) {
        guard schemas["io.k8s." + name] == nil, let def = Schema.shared.definition(named: name) else { return }
        schemas["io.k8s." + name] = .object(JSONObject())
        var props = JSONObject()
        for key in def.fields.keys.sorted() {
            props[key] = schemaOf(def.fields[key]!.type, into: &schemas)
        }
        var o = JSONObject()
        o["type"] = "object"
        o["properties"] = .object(props)
        if !def.required.isEmpty { o["required"] = .array(def.required.map { .string($0) }) }
        if let g = def.groupVersionKind {
            o["x-kubernetes-group-version-kind"] = [["group": .string(g.group), "version": .string(g.version), "kind": .string(g.kind)]]
        }
        schemas["io.k8s." + name] = .object(o)
    }

    static func schemaOf(_ t: FieldType, into schemas: inout JSONObject) -> JSON {
        switch t {
        case .string: return ["type": "string"]
        case .integer: return ["type": "integer"]
        case .number: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .bytes: return ["type": "string", "format": "byte"]
        case .time: return ["type": "string", "format": "date-time"]
        case .quantity, .intOrString: return ["x-kubernetes-int-or-string": true]
        case .any: return ["type": "object"]
        case .ref(let n):
            addSchema(n, into: &schemas)
            return ["$ref": .string("#/components/schemas/io.k8s.\(n)")]
        case .list(let e): return ["type": "array", "items": schemaOf(e, into: &schemas)]
        case .map(let e): return ["type": "object", "additionalProperties": schemaOf(e, into: &schemas)]
        }
    }
}
