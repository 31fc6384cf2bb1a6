/// Checks an image reference the way the kubelet's default-tag step does (docker reference
/// grammar, simplified): a lowercase repository path, an optional tag, an optional digest.
enum ImageReference {
    /// nil when valid, else the parse error as Kubernetes words it.
    static func error(_ image: String) -> String? {
        var rest = Substring(image)
        if let at = rest.firstIndex(of: "@") {
            let digest = rest[rest.index(after: at)...]
            guard let colon = digest.firstIndex(of: ":"), !digest[..<colon].isEmpty, digest[digest.index(after: colon)...].count >= 32,
                  digest[digest.index(after: colon)...].allSatisfy(\.isHexDigit) else { return "invalid reference format" }
            rest = rest[..<at]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard var last = components.popLast() else { return "invalid reference format" }
        if let colon = last.lastIndex(of: ":") {
            let tag = last[last.index(after: colon)...]
            guard let first = tag.first, first.isLetter || first.isNumber || first == "_", tag.count <= 128,
                  tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) else {
                return "invalid reference format"
            }
            last = last[..<colon]
        }
        components.append(last)
        // A first component with a dot, a port or "localhost" names a registry, not a path.
        let registry = components.count > 1 && (components[0].contains(".") || components[0].contains(":") || components[0] == "localhost")
            ? components.removeFirst() : nil
        if let registry, registry.isEmpty || registry.contains(where: { $0.isWhitespace }) { return "invalid reference format" }
        let path = components.joined(separator: "/")
        for c in components {
            guard !c.isEmpty, c.first!.isLetter || c.first!.isNumber, c.last!.isLetter || c.last!.isNumber,
                  c.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
                return "invalid reference format"
            }
        }
        if path.contains(where: \.isUppercase) {
            let full = registry == nil && components.count == 1 ? "library/\(path)" : path
            return "invalid reference format: repository name (\(full)) must be lowercase"
        }
        return nil
    }
}
