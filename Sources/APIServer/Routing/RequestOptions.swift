import KubeAPI

/// The query parameters of a Kubernetes API request that the server acts on; others are ignored.
public struct RequestOptions: Sendable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?
    public var watch = false
    public var allowWatchBookmarks = false
    public var timeoutSeconds: Int?
    public var fieldValidation = "Strict"
    public var dryRun = false
    public var fieldManager: String?
    public var force = false
    public var gracePeriodSeconds: Int64?
    public var propagationPolicy: String?
    public var includeObject: String?
    // pods/log
    public var container: String?
    public var follow = false
    public var previous = false
    public var tailLines: Int?
    public var timestamps = false
    public var sinceSeconds: Int?
    public var sinceTime: String?
    public var limitBytes: Int?

    public init() {}

    public init(query: [(String, String)]) {
        for (k, v) in query {
            switch k {
            case "labelSelector": labelSelector = v
            case "fieldSelector": fieldSelector = v
            case "limit": limit = Int(v).flatMap { $0 > 0 ? $0 : nil }
            case "continue": continueToken = v.isEmpty ? nil : v
            case "resourceVersion": resourceVersion = v
            case "watch": watch = Self.flag(v)
            case "allowWatchBookmarks": allowWatchBookmarks = Self.flag(v)
            case "timeoutSeconds": timeoutSeconds = Int(v)
            case "fieldValidation": fieldValidation = v
            case "dryRun": dryRun = !v.isEmpty
            case "fieldManager": fieldManager = v
            case "force": force = Self.flag(v)
            case "gracePeriodSeconds": gracePeriodSeconds = Int64(v)
            case "propagationPolicy": propagationPolicy = v
            case "includeObject": includeObject = v
            case "container": container = v
            case "follow": follow = Self.flag(v)
            case "previous": previous = Self.flag(v)
            case "tailLines": tailLines = Int(v)
            case "timestamps": timestamps = Self.flag(v)
            case "sinceSeconds": sinceSeconds = Int(v)
            case "sinceTime": sinceTime = v
            case "limitBytes": limitBytes = Int(v)
            default: break
            }
        }
    }

    static func flag(_ v: String) -> Bool { v == "true" || v == "1" || v.isEmpty }

    /// Parses a query string into ordered pairs, percent-decoding and `+` as space.
    public static func parseQuery(_ q: String?) -> [(String, String)] {
        guard let q, !q.isEmpty else { return [] }
        return q.split(separator: "&").map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = percentDecode(String(kv[0]))
            let v = kv.count > 1 ? percentDecode(String(kv[1])) : ""
            return (k, v)
        }
    }

    static func percentDecode(_ s: String) -> String {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let c = bytes.popFirst() {
            if c == UInt8(ascii: "+") {
                out.append(0x20)
            } else if c == UInt8(ascii: "%"), bytes.count >= 2,
                      let h = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(h)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
