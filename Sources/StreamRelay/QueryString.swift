import Foundation

/// The query of a request target (`/path?a=1&b=x+y`), decoded as a form: `+` is a space, then
/// percent-escapes. Exec and attach requests carry their command this way.
public enum QueryString {
    /// The part after `?`, or "" when there is none.
    public static func of(_ target: String) -> String {
        target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) } ?? ""
    }

    public static func pairs(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map { item in
            let kv = item.split(separator: "=", maxSplits: 1).map { part in
                let plain = part.replacingOccurrences(of: "+", with: " ")
                return plain.removingPercentEncoding ?? plain
            }
            return (kv[0], kv.count > 1 ? kv[1] : "")
        }
    }
}
