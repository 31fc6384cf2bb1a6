import Foundation

/// A parsed `WWW-Authenticate` header of a registry: `Basic realm="…"` or
/// `Bearer realm="…",service="…",scope="…"`.
struct AuthChallenge: Sendable, Equatable {
    enum Scheme: String, Sendable { case basic, bearer }

    var scheme: Scheme
    var parameters: [String: String]

    var realm: String? { parameters["realm"] }

    init(scheme: Scheme, parameters: [String: String]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    init?(header: String) {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else {
            guard let scheme = Scheme(rawValue: trimmed.lowercased()) else { return nil }
            self.init(scheme: scheme, parameters: [:])
            return
        }
        guard let scheme = Scheme(rawValue: trimmed[..<space].lowercased()) else { return nil }
        self.init(scheme: scheme, parameters: AuthChallenge.parameters(String(trimmed[space...])))
    }

    /// `key=value` or `key="quoted, value"` pairs separated by commas.
    static func parameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var index = text.startIndex
        func skip(_ predicate: (Character) -> Bool) {
            while index < text.endIndex, predicate(text[index]) { index = text.index(after: index) }
        }
        while index < text.endIndex {
            skip { $0 == " " || $0 == "," }
            let keyStart = index
            skip { $0 != "=" && $0 != "," }
            let key = text[keyStart..<index].trimmingCharacters(in: .whitespaces).lowercased()
            guard index < text.endIndex, text[index] == "=" else { continue }
            index = text.index(after: index)
            var value = ""
            if index < text.endIndex, text[index] == "\"" {
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "\"" {
                    if text[index] == "\\", text.index(after: index) < text.endIndex { index = text.index(after: index) }
                    value.append(text[index])
                    index = text.index(after: index)
                }
                if index < text.endIndex { index = text.index(after: index) }
            } else {
                let valueStart = index
                skip { $0 != "," }
                value = text[valueStart..<index].trimmingCharacters(in: .whitespaces)
            }
            if !key.isEmpty { result[key] = value }
        }
        return result
    }
}
