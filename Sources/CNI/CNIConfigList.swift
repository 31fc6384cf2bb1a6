import Foundation

/// A CNI network configuration list (`*.conflist`), or a single `*.conf` promoted to a list.
/// Plugin configurations stay raw JSON: each plugin type defines its own keys.
public struct CNIConfigList: Sendable, Equatable {
    public var name: String
    public var cniVersion: String
    public var plugins: [Data]

    public init(name: String, cniVersion: String, plugins: [Data]) {
        self.name = name
        self.cniVersion = cniVersion
        self.plugins = plugins
    }

    /// Parses a conflist, or a single plugin conf (which has a top-level `type`).
    public init(json: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw CNIError.invalidConfig("not a JSON object")
        }
        guard let name = object["name"] as? String else { throw CNIError.invalidConfig("missing name") }
        self.name = name
        self.cniVersion = object["cniVersion"] as? String ?? "0.4.0"
        if let list = object["plugins"] as? [[String: Any]] {
            guard !list.isEmpty else { throw CNIError.invalidConfig("empty plugin list") }
            self.plugins = try list.map { plugin in
                guard plugin["type"] is String else { throw CNIError.invalidConfig("plugin without type") }
                return try JSONSerialization.data(withJSONObject: plugin, options: [.sortedKeys])
            }
        } else if object["type"] is String {
            self.plugins = [try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])]
        } else {
            throw CNIError.invalidConfig("neither plugins nor type")
        }
    }

    /// The plugin types in chain order.
    public var pluginTypes: [String] {
        plugins.compactMap { data in
            (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["type"] as? String
        }
    }

    /// The config files of `directory` in the order libcni reads them.
    public static func configFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".conflist") || $0.hasSuffix(".conf") || $0.hasSuffix(".json") }.sorted()
    }

    /// The first `*.conflist`, `*.conf` or `*.json` in `directory`, in lexical order (as libcni does).
    public static func load(fromDirectory directory: String) throws -> CNIConfigList? {
        guard let first = configFiles(in: directory).first else { return nil }
        return try CNIConfigList(json: Data(contentsOf: URL(fileURLWithPath: directory + "/" + first)))
    }

    /// The default network: a bridge with host-local IPAM, loopback, and portmap for hostPorts.
    public static func defaultBridge(name: String = "skiff", bridge: String = "skiff0", subnet: String,
                                     ipamDataDir: String? = nil) -> String {
        var ipam = #""type":"host-local","ranges":[[{"subnet":"\#(subnet)"}]],"routes":[{"dst":"0.0.0.0/0"}]"#
        if let ipamDataDir { ipam += #","dataDir":"\#(ipamDataDir)""# }
        return """
        {"cniVersion":"1.0.0","name":"\(name)","plugins":[\
        {"type":"bridge","bridge":"\(bridge)","isGateway":true,"ipMasq":false,"hairpinMode":true,"ipam":{\(ipam)}},\
        {"type":"portmap","capabilities":{"portMappings":true}},\
        {"type":"loopback"}]}
        """
    }
}
