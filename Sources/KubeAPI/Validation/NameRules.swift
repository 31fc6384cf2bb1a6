/// The string rules of k8s.io/apimachinery/pkg/util/validation, each returning every message
/// Kubernetes would give (empty when valid).
public enum NameRules {
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFormat = "(" + qualifiedNameFormat + ")?"
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    public static func emptyError() -> String { "must be non-empty" }
    public static func maxLenError(_ n: Int) -> String { "must be no more than \(n) characters" }
    public static func inclusiveRangeError(_ lo: Int, _ hi: Int) -> String { "must be between \(lo) and \(hi), inclusive" }

    /// "<msg> (e.g. 'a' or 'b', regex used for validation is '<fmt>')".
    public static func regexError(_ message: String, _ format: String, _ examples: String...) -> String {
        if examples.isEmpty { return "\(message) (regex used for validation is '\(format)')" }
        let e = examples.map { "'\($0)', " }.joined(separator: " or ")
        return "\(message) (e.g. \(e)regex used for validation is '\(format)')"
    }

    public static func isDNS1123Label(_ v: String) -> [String] {
        var errs: [String] = []
        if v.utf8.count > 63 { errs.append(maxLenError(63)) }
        if !matchesLabel(v) {
            if matchesSubdomain(v) {
                errs.append("must not contain dots")
            } else {
                errs.append(regexError(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                    dns1123LabelFormat, "my-name", "123-abc"))
            }
        }
        return errs
    }

    public static func isDNS1123Subdomain(_ v: String) -> [String] {
        var errs: [String] = []
        if v.utf8.count > 253 { errs.append(maxLenError(253)) }
        if !matchesSubdomain(v) {
            errs.append(regexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                dns1123SubdomainFormat, "example.com"))
        }
        return errs
    }

    public static func isDNS1035Label(_ v: String) -> [String] {
        var errs: [String] = []
        if v.utf8.count > 63 { errs.append(maxLenError(63)) }
        if !(matchesLabel(v) && v.utf8.first.map(isLower) == true) {
            errs.append(regexError(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                dns1035LabelFormat, "my-name", "abc-123"))
        }
        return errs
    }

    /// A qualified name: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters.
    /// Label keys and annotation keys follow this rule.
    public static func isQualifiedName(_ v: String) -> [String] {
        var errs: [String] = []
        let parts = v.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errs.append("prefix part " + emptyError())
            } else {
                errs += isDNS1123Subdomain(parts[0]).map { "prefix part " + $0 }
            }
        default:
            return [
                "a qualified name " + regexError(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            errs.append("name part " + emptyError())
        } else if name.utf8.count > 63 {
            errs.append("name part " + maxLenError(63))
        }
        if !matchesQualifiedPart(name) {
            errs.append("name part " + regexError(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc"))
        }
        return errs
    }

    public static func isValidLabelValue(_ v: String) -> [String] {
        var errs: [String] = []
        if v.utf8.count > 63 { errs.append(maxLenError(63)) }
        if !v.isEmpty && !matchesQualifiedPart(v) {
            errs.append(regexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                labelValueFormat, "MyValue", "my_value", "12345"))
        }
        return errs
    }

    public static func isValidPortNum(_ p: Int64) -> [String] {
        (1...65535).contains(p) ? [] : [inclusiveRangeError(1, 65535)]
    }

    /// An IANA service name, as container port names must be.
    public static func isValidPortName(_ p: String) -> [String] {
        var errs: [String] = []
        let u = Array(p.utf8)
        if u.count > 15 { errs.append(maxLenError(15)) }
        if u.isEmpty || !u.allSatisfy({ isLower($0) || isDigit($0) || $0 == hyphen }) {
            errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !u.contains(where: isLower) { errs.append("must contain at least one letter (a-z)") }
        if p.contains("--") { errs.append("must not contain consecutive hyphens") }
        if let f = u.first, let l = u.last, f == hyphen || l == hyphen { errs.append("must not begin or end with a hyphen") }
        return errs
    }

    /// Environment variable names under RelaxedEnvironmentVariableValidation, on by default
    /// since Kubernetes 1.32.
    public static func isRelaxedEnvVarName(_ v: String) -> [String] {
        var errs: [String] = []
        if v.isEmpty { errs.append("environment variable name " + emptyError()) }
        if v.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E || $0 == "=" }) {
            errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
        }
        return errs
    }

    /// Keys of ConfigMap and Secret data.
    public static func isConfigMapKey(_ v: String) -> [String] {
        var errs: [String] = []
        if v.utf8.count > 253 { errs.append(maxLenError(253)) }
        if v.isEmpty || !v.utf8.allSatisfy({ isAlnum($0) || $0 == hyphen || $0 == dot || $0 == underscore }) {
            errs.append(regexError(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"))
        }
        errs += hasChDirPrefix(v)
        return errs
    }

    static func hasChDirPrefix(_ v: String) -> [String] {
        if v == "." { return ["must not be '.'"] }
        if v == ".." { return ["must not be '..'"] }
        if v.hasPrefix("..") { return ["must not start with '..'"] }
        return []
    }

    private static let hyphen = UInt8(ascii: "-")
    private static let dot = UInt8(ascii: ".")
    private static let underscore = UInt8(ascii: "_")
    private static func isLower(_ c: UInt8) -> Bool { c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") }
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isAlnum(_ c: UInt8) -> Bool {
        isLower(c) || isDigit(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func matchesLabel(_ v: String) -> Bool { matchesLabel(Array(v.utf8)[...]) }

    private static func matchesLabel(_ u: ArraySlice<UInt8>) -> Bool {
        guard let f = u.first, let l = u.last else { return false }
        let ok = { (c: UInt8) in isLower(c) || isDigit(c) }
        return ok(f) && ok(l) && u.allSatisfy { ok($0) || $0 == hyphen }
    }

    static func matchesSubdomain(_ v: String) -> Bool {
        Array(v.utf8).split(separator: dot, omittingEmptySubsequences: false).allSatisfy(matchesLabel)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func matchesQualifiedPart(_ v: String) -> Bool {
        let u = Array(v.utf8)
        guard let f = u.first, let l = u.last else { return false }
        return isAlnum(f) && isAlnum(l) && u.allSatisfy { isAlnum($0) || $0 == hyphen || $0 == dot || $0 == underscore }
    }
}
