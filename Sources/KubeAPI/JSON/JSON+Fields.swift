// Lenient readers for fields of objects the API server has validated: a missing or mistyped
// field reads as unset. The kubelet and the scheduler consume objects through these.
extension JSON {
    public func string(_ key: String) -> String? { self[key]?.string }
    public func int(_ key: String) -> Int64? { self[key]?.int }
    public func bool(_ key: String) -> Bool { self[key]?.bool ?? false }
    public func strings(_ key: String) -> [String] { self[key]?.array?.compactMap(\.string) ?? [] }
    public func objects(_ key: String) -> [JSON] { self[key]?.array?.filter { $0.object != nil } ?? [] }

    public func stringMap(_ key: String) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in self[key]?.object ?? JSONObject() { if let s = v.string { out[k] = s } }
        return out
    }

    public func quantities(_ key: String) -> [String: Quantity] {
        var out: [String: Quantity] = [:]
        for (k, v) in self[key]?.object ?? JSONObject() { if let q = try? Quantity(json: v) { out[k] = q } }
        return out
    }
}
