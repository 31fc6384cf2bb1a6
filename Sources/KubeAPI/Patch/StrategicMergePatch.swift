/// Kubernetes' strategic merge patch (`application/strategic-merge-patch+json`), driven by the
/// schema's patch strategies and merge keys:
/// - `null` deletes a key; maps merge recursively;
/// - lists of objects with strategy `merge` merge element-wise by their merge key, lists of
///   primitives with strategy `merge` merge as sets, other lists are replaced;
/// - directives: `$patch: replace|delete|merge` (in maps and list elements),
///   `$setElementOrder/<field>`, `$retainKeys`, `$deleteFromPrimitiveList/<field>`.
public enum StrategicMergePatch {
    static let patchDirective = "$patch"
    static let retainKeysDirective = "$retainKeys"
    static let setElementOrderPrefix = "$setElementOrder/"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"

    public static func apply(_ patch: JSON, to original: JSON, schema: TypeSchema, in types: Schema = .shared)
        throws(PatchError) -> JSON
    {
        guard case .object(let p) = patch else {
            throw PatchError("strategic merge patch must be a JSON object, got \(patch.typeName)")
        }
        return .object(try mergeMap(p, into: original.object ?? JSONObject(), definition: schema, types: types))
    }

    static func mergeMap(_ patch: JSONObject, into original: JSONObject, definition: TypeSchema?, types: Schema)
        throws(PatchError) -> JSONObject
    {
        var result = original
        var patch = patch
        if let directive = patch[patchDirective] {
            patch[patchDirective] = nil
            switch directive.string {
            case "replace": return try mergeMap(patch, into: JSONObject(), definition: definition, types: types)
            case "delete": return JSONObject()
            case "merge": break
            default: throw PatchError("unknown patch type: \(directive.text) in map: \(JSON.object(patch).text)")
            }
        }
        if let retain = patch[retainKeysDirective] {
            patch[retainKeysDirective] = nil
            guard let keys = retain.array?.compactMap(\.string) else {
                throw PatchError("invalid patch: \(retainKeysDirective) must be a list of strings")
            }
            for k in result.keys where !keys.contains(k) { result[k] = nil }
        }
        var orders: [String: [JSON]] = [:]
        for key in patch.keys {
            guard let v = patch[key] else { continue }
            if key.hasPrefix(setElementOrderPrefix) {
                guard let list = v.array else { throw PatchError("invalid patch: \(key) must be a list") }
                orders[String(key.dropFirst(setElementOrderPrefix.count))] = list
                patch[key] = nil
            } else if key.hasPrefix(deleteFromPrimitiveListPrefix) {
                let field = String(key.dropFirst(deleteFromPrimitiveListPrefix.count))
                guard let doomed = v.array else { throw PatchError("invalid patch: \(key) must be a list") }
                if let items = result[field]?.array {
                    result[field] = .array(items.filter { i in !doomed.contains { $0.sameValue(as: i) } })
                }
                patch[key] = nil
            }
        }
        for (key, value) in patch {
            let field = definition?.fields[key]
            if value.isNull {
                result[key] = nil
                continue
            }
            result[key] = try merge(value, into: result[key], field: field, types: types)
        }
        for (field, order) in orders {
            guard let items = result[field]?.array else { continue }
            result[field] = .array(reorder(items, by: order, mergeKey: definition?.fields[field]?.mergeKey))
        }
        return result
    }

    /// Merges one patch value into the original value of a field.
    private static func merge(_ patch: JSON, into original: JSON?, field: FieldSchema?, types: Schema)
        throws(PatchError) -> JSON
    {
        let elementDef = field.flatMap { types.elementDefinition($0.type) }
        switch (patch, original) {
        case (.object(let p), let o):
            // Map-typed fields (labels, resources.limits) merge key by key with no schema.
            var definition = elementDef
            if case .map? = field?.type { definition = nil }
            return .object(try mergeMap(p, into: o?.object ?? JSONObject(), definition: definition, types: types))
        case (.array(let p), let o):
            let originalItems = o?.array ?? []
            guard let field, field.mergesByKey, case .list = field.type else {
                return .array(try mergeList(p, into: [], mergeKey: nil, definition: elementDef, types: types))
            }
            if let key = field.mergeKey, elementDef != nil {
                return .array(try mergeList(p, into: originalItems, mergeKey: key, definition: elementDef, types: types))
            }
            return .array(mergePrimitives(p, into: originalItems))
        default:
            return patch
        }
    }

    /// Lists of objects merged by `mergeKey`; with no key (a replaced list) the patch's own
    /// directives are still honoured and stripped.
    private static func mergeList(
        _ patch: [JSON], into original: [JSON], mergeKey: String?, definition: TypeSchema?, types: Schema
    ) throws(PatchError) -> [JSON] {
        var result = original
        var items = patch
        if let r = items.firstIndex(where: { $0[patchDirective]?.string == "replace" }) {
            items.remove(at: r)
            result = []
        }
        for item in items {
            guard case .object(var obj) = item else {
                if mergeKey != nil { throw PatchError("invalid patch: list element \(item.text) is not a map") }
                result.append(item)
                continue
            }
            guard let mergeKey else {
                result.append(.object(try mergeMap(obj, into: JSONObject(), definition: definition, types: types)))
                continue
            }
            let directive = obj[patchDirective]?.string
            guard let keyValue = obj[mergeKey] else {
                throw PatchError("map: \(item.text) does not contain declared merge key: \(mergeKey)")
            }
            let existing = result.firstIndex { $0[mergeKey]?.sameValue(as: keyValue) == true }
            switch directive {
            case "delete":
                result.removeAll { $0[mergeKey]?.sameValue(as: keyValue) == true }
            case nil, "merge", "replace":
                if directive == "replace" {
                    obj[patchDirective] = nil
                    let replaced = JSON.object(try mergeMap(obj, into: JSONObject(), definition: definition, types: types))
                    if let existing { result[existing] = replaced } else { result.append(replaced) }
                    continue
                }
                let base = existing.flatMap { result[$0].object } ?? JSONObject()
                let merged = JSON.object(try mergeMap(obj, into: base, definition: definition, types: types))
                if let existing { result[existing] = merged } else { result.append(merged) }
            default:
                throw PatchError("unknown patch type: \(directive ?? "") in map: \(item.text)")
            }
        }
        return result
    }

    /// Primitive lists with strategy merge (finalizers) are sets: add what is missing.
    private static func mergePrimitives(_ patch: [JSON], into original: [JSON]) -> [JSON] {
        var result = original
        for item in patch where !result.contains(where: { $0.sameValue(as: item) }) { result.append(item) }
        return result
    }

    /// `$setElementOrder`: elements named in the order come first, in that order; the rest keep
    /// their relative order after them.
    private static func reorder(_ items: [JSON], by order: [JSON], mergeKey: String?) -> [JSON] {
        func identity(_ v: JSON) -> JSON { mergeKey.flatMap { v[$0] } ?? v }
        var remaining = items
        var result: [JSON] = []
        for o in order {
            let want = identity(o)
            if let i = remaining.firstIndex(where: { identity($0).sameValue(as: want) }) {
                result.append(remaining.remove(at: i))
            }
        }
        return result + remaining
    }
}
