/// RFC 7386 JSON Merge Patch (`application/merge-patch+json`): objects merge recursively,
/// `null` deletes, anything else (lists included) replaces.
public enum MergePatch {
    public static func apply(_ patch: JSON, to target: JSON) -> JSON {
        guard case .object(let p) = patch else { return patch }
        var result = target.object ?? JSONObject()
        for (k, v) in p {
            if v.isNull {
                result[k] = nil
            } else {
                result[k] = apply(v, to: result[k] ?? .null)
            }
        }
        return .object(result)
    }
}
