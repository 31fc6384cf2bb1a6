import Foundation

/// A network configuration list bound to plugin directories: ADD runs the chain in order, each
/// plugin receiving the previous result as `prevResult`; DEL runs it in reverse.
public struct CNINetwork: Sendable {
    public let config: CNIConfigList
    public let pluginDirectories: [String]
    let executor: any CNIPluginExecutor

    public init(config: CNIConfigList, pluginDirectories: [String], executor: any CNIPluginExecutor = ProcessPluginExecutor()) {
        self.config = config
        self.pluginDirectories = pluginDirectories
        self.executor = executor
    }

    public func add(_ runtime: CNIRuntimeConf) async throws -> (result: CNIResult, raw: Data) {
        var previous: Data?
        for plugin in config.plugins {
            previous = try await invoke("ADD", plugin: plugin, runtime: runtime, previous: previous)
        }
        guard let raw = previous else { throw CNIError.invalidResult("no result") }
        return (try CNIResult(json: raw), raw)
    }

    /// Idempotent: plugins treat an unknown attachment as already deleted.
    public func delete(_ runtime: CNIRuntimeConf, previous: Data?) async throws {
        for plugin in config.plugins.reversed() {
            _ = try await invoke("DEL", plugin: plugin, runtime: runtime, previous: previous)
        }
    }

    func invoke(_ command: String, plugin: Data, runtime: CNIRuntimeConf, previous: Data?) async throws -> Data {
        let stdin = try CNINetwork.pluginInput(plugin: plugin, list: config, runtime: runtime, previous: previous)
        let type = try CNINetwork.pluginType(plugin)
        guard let path = locate(type) else { throw CNIError.pluginNotFound(type) }
        var environment = [
            "CNI_COMMAND": command,
            "CNI_CONTAINERID": runtime.containerID,
            "CNI_NETNS": runtime.netns,
            "CNI_IFNAME": runtime.ifName,
            "CNI_PATH": pluginDirectories.joined(separator: ":"),
        ]
        if !runtime.args.isEmpty {
            environment["CNI_ARGS"] = (["IgnoreUnknown=1"] + runtime.args.map { "\($0)=\($1)" }).joined(separator: ";")
        }
        let run = try await executor.run(plugin: path, environment: environment, stdin: stdin)
        guard run.status == 0 else {
            throw CNIError.fromFailedRun(type: type, status: run.status, stdout: run.stdout, stderr: run.stderr)
        }
        // A plugin that only modifies (e.g. portmap on DEL) may print nothing; keep the previous result.
        return run.stdout.isEmpty ? (previous ?? Data()) : run.stdout
    }

    /// The plugin binary for a type, from the first plugin directory that has it.
    public func locate(_ type: String) -> String? {
        pluginDirectories.map { "\($0)/\(type)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func pluginType(_ plugin: Data) throws -> String {
        guard let object = try JSONSerialization.jsonObject(with: plugin) as? [String: Any],
              let type = object["type"] as? String else { throw CNIError.invalidConfig("plugin without type") }
        return type
    }

    /// The stdin of one plugin: its config plus the list's name and version, `prevResult`, and
    /// `runtimeConfig` for the capabilities the plugin declares.
    static func pluginInput(plugin: Data, list: CNIConfigList, runtime: CNIRuntimeConf, previous: Data?) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: plugin) as? [String: Any] else {
            throw CNIError.invalidConfig("plugin is not an object")
        }
        object["name"] = list.name
        object["cniVersion"] = list.cniVersion
        if let previous, !previous.isEmpty, let result = try? JSONSerialization.jsonObject(with: previous) {
            object["prevResult"] = result
        }
        let capabilities = object["capabilities"] as? [String: Any] ?? [:]
        if capabilities["portMappings"] as? Bool == true, !runtime.portMappings.isEmpty {
            object["runtimeConfig"] = ["portMappings": runtime.portMappings.map { mapping in
                ["hostPort": mapping.hostPort, "containerPort": mapping.containerPort,
                 "protocol": mapping.proto, "hostIP": mapping.hostIP] as [String: Any]
            }]
        }
        object.removeValue(forKey: "capabilities")
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
