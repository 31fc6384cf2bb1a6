import Foundation

/// One registry namespace's `hosts.toml`, as containerd reads it: `server` (the upstream, tried
/// last) with its options at the top level, and `[host."URL"]` tables tried first, in file order.
/// Paths (`ca`) are absolute or relative to the file's directory.
struct HostsFile: Equatable, Sendable {
    struct Options: Equatable, Sendable {
        /// nil when the file does not say: every capability.
        var capabilities: RegistryEndpoint.Capabilities?
        var skipVerify = false
        var caFiles: [String] = []
        var headers: [String: [String]] = [:]
        var overridePath = false
    }

    struct Host: Equatable, Sendable {
        var url: URL
        var options: Options
    }

    /// The upstream; nil for the registry's own default.
    var server: URL?
    /// The top-level options, which apply to the server.
    var serverOptions = Options()
    var hosts: [Host] = []

    static func parse(_ text: String, file: String) throws(TOMLError) -> HostsFile {
        let root = try TOMLParser.parse(text, file: file)
        let directory = (file as NSString).deletingLastPathComponent
        var server: URL?
        if let value = root["server"] {
            server = try url(try string(value, key: "server", in: root, file: file), line: root.line(of: "server") ?? 1, file: file)
        }
        let serverOptions = try options(root, line: 1, directory: directory, file: file)
        var hosts: [Host] = []
        if let value = root["host"] {
            guard case .table(let table) = value else { throw mistyped("host", value, expected: "table", in: root, file: file) }
            for entry in table.entries {
                guard case .table(let options) = entry.value else {
                    throw TOMLError(file: file, line: entry.line, message: "host \"\(entry.key)\" must be a table ([host.\"\(entry.key)\"])")
                }
                if options.entries.contains(where: { $0.key == "host" }) {
                    throw TOMLError(file: file, line: entry.line, message: "host \"\(entry.key)\": hosts cannot be nested")
                }
                hosts.append(Host(url: try url(entry.key, line: entry.line, file: file),
                                  options: try self.options(options, line: entry.line, directory: directory, file: file)))
            }
        }
        return HostsFile(server: server, serverOptions: serverOptions, hosts: hosts)
    }

    private static func url(_ text: String, line: Int, file: String) throws(TOMLError) -> URL {
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host?.isEmpty == false else {
            throw TOMLError(file: file, line: line, message: "\(text): want an http:// or https:// URL")
        }
        return url
    }

    private static func options(_ options: TOMLTable, line: Int, directory: String, file: String) throws(TOMLError) -> Options {
        var capabilities: RegistryEndpoint.Capabilities?
        if let value = options["capabilities"] {
            var set: RegistryEndpoint.Capabilities = []
            for name in try strings(value, key: "capabilities", in: options, file: file) {
                switch name {
                case "pull": set.insert(.pull)
                case "resolve": set.insert(.resolve)
                case "push": set.insert(.push)
                default:
                    throw TOMLError(file: file, line: options.line(of: "capabilities") ?? line,
                                    message: "unknown capability \"\(name)\" (want pull, resolve or push)")
                }
            }
            capabilities = set
        }
        var skipVerify = false
        if let value = options["skip_verify"] {
            guard case .bool(let flag) = value else { throw mistyped("skip_verify", value, expected: "boolean", in: options, file: file) }
            skipVerify = flag
        }
        var overridePath = false
        if let value = options["override_path"] {
            guard case .bool(let flag) = value else { throw mistyped("override_path", value, expected: "boolean", in: options, file: file) }
            overridePath = flag
        }
        let caFiles = try options["ca"].map { value throws(TOMLError) in
            try strings(value, key: "ca", in: options, file: file).map { $0.hasPrefix("/") ? $0 : directory + "/" + $0 }
        } ?? []
        var headers: [String: [String]] = [:]
        if let value = options["header"] {
            guard case .table(let table) = value else { throw mistyped("header", value, expected: "table", in: options, file: file) }
            for entry in table.entries {
                headers[entry.key] = try strings(entry.value, key: "header \(entry.key)", in: table, file: file, line: entry.line)
            }
        }
        return Options(capabilities: capabilities, skipVerify: skipVerify, caFiles: caFiles, headers: headers, overridePath: overridePath)
    }

    /// A string, or an array of strings (containerd accepts either for `ca` and headers).
    private static func strings(_ value: TOMLValue, key: String, in table: TOMLTable, file: String, line: Int? = nil) throws(TOMLError) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let items):
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw TOMLError(file: file, line: line ?? table.line(of: key) ?? 1, message: "\(key): want strings, found a \(item.typeName)")
                }
                result.append(text)
            }
            return result
        default:
            throw TOMLError(file: file, line: line ?? table.line(of: key) ?? 1, message: "\(key): want a string or an array of strings, found a \(value.typeName)")
        }
    }

    private static func string(_ value: TOMLValue, key: String, in table: TOMLTable, file: String) throws(TOMLError) -> String {
        guard case .string(let text) = value else { throw mistyped(key, value, expected: "string", in: table, file: file) }
        return text
    }

    private static func mistyped(_ key: String, _ value: TOMLValue, expected: String, in table: TOMLTable, file: String) -> TOMLError {
        TOMLError(file: file, line: table.line(of: key) ?? 1, message: "\(key): want a \(expected), found a \(value.typeName)")
    }
}
