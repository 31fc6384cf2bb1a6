import Foundation

/// An image reference normalized the way Docker does it: `busybox` is
/// `docker.io/library/busybox:latest`; a first component with a dot, a colon or equal to
/// `localhost` names a registry.
struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    static let defaultDomain = "docker.io"

    var domain: String
    var repository: String
    var tag: String?
    var digest: String?

    enum ParseError: Error, Equatable { case invalid(String) }

    init(domain: String, repository: String, tag: String?, digest: String?) {
        self.domain = domain
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    init(parsing text: String) throws(ParseError) {
        guard !text.isEmpty, text.count <= 255, text.trimmingCharacters(in: .whitespaces) == text else {
            throw .invalid(text)
        }
        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            let value = String(rest[rest.index(after: at)...])
            guard ImageReference.isDigest(value) else { throw .invalid(text) }
            digest = value
            rest = rest[..<at]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var domain = ImageReference.defaultDomain
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" {
            domain = first
            components.removeFirst()
        }
        var tag: String?
        if var last = components.last, let colon = last.lastIndex(of: ":") {
            tag = String(last[last.index(after: colon)...])
            last = String(last[..<colon])
            components[components.count - 1] = last
            guard let tag, ImageReference.isTag(tag) else { throw .invalid(text) }
        }
        guard !components.isEmpty, components.allSatisfy(ImageReference.isPathComponent),
              ImageReference.isDomain(domain) else { throw .invalid(text) }
        if domain == ImageReference.defaultDomain && components.count == 1 {
            components.insert("library", at: 0)
        }
        if tag == nil && digest == nil { tag = "latest" }
        self.init(domain: domain, repository: components.joined(separator: "/"), tag: tag, digest: digest)
    }

    /// `domain/repository`, the name images are listed under.
    var name: String { "\(domain)/\(repository)" }

    /// What to ask the registry for: the digest when pinned, else the tag.
    var manifestReference: String { digest ?? tag ?? "latest" }

    var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    static func isDigest(_ value: String) -> Bool {
        let parts = value.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0] == "sha256", parts[1].count == 64 else { return false }
        return parts[1].allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    static func isTag(_ value: String) -> Bool {
        guard let first = value.first, value.count <= 128, first != "." && first != "-" else { return false }
        return value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
    }

    /// Lowercase alphanumerics separated by `.`, `_`, `__` or runs of `-`.
    static func isPathComponent(_ value: String) -> Bool {
        guard let first = value.first, let last = value.last,
              first.isASCII && (first.isLowercase || first.isNumber),
              last.isASCII && (last.isLowercase || last.isNumber) else { return false }
        return value.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
            && !value.contains("..") && !value.contains("___")
    }

    static func isDomain(_ value: String) -> Bool {
        guard !value.isEmpty else { return false }
        return value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "[" || $0 == "]") }
    }
}
