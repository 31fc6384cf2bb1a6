/// Kubernetes' `$(VAR)` expansion (third_party/forked/golang/expansion): a defined reference is
/// replaced, an undefined one is left as written, `$$` is a literal `$`, and any other `$` stays.
enum VariableExpansion {
    static func expand(_ input: String, _ lookup: (String) -> String?) -> String {
        let chars = Array(input)
        var out = ""
        var i = 0
        while i < chars.count {
            guard chars[i] == "$", i + 1 < chars.count else {
                out.append(chars[i])
                i += 1
                continue
            }
            switch chars[i + 1] {
            case "$":
                out.append("$")
                i += 2
            case "(":
                guard let close = chars[(i + 2)...].firstIndex(of: ")") else {
                    // An unterminated reference is kept verbatim.
                    out.append("$(")
                    i += 2
                    continue
                }
                let name = String(chars[(i + 2)..<close])
                out += lookup(name) ?? "$(\(name))"
                i = close + 1
            default:
                out.append("$")
                out.append(chars[i + 1])
                i += 2
            }
        }
        return out
    }
}
