import KubeAPI

// Lenient readers for the fields the scheduler consumes. The API server has validated objects, so
// a missing or mistyped field means "unset".
extension JSON {
    func string(_ key: String) -> String? { self[key]?.string }
    func int(_ key: String) -> Int64? { self[key]?.int }
    func bool(_ key: String) -> Bool { self[key]?.bool ?? false }
    func strings(_ key: String) -> [String] { self[key]?.array?.compactMap(\.string) ?? [] }
    func objects(_ key: String) -> [JSON] { self[key]?.array?.filter { $0.object != nil } ?? [] }

    func stringMap(_ key: String) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in self[key]?.object ?? JSONObject() { if let s = v.string { out[k] = s } }
        return out
    }
}
