import Foundation
import KubeAPI

/// PodSecurity's settings from the admission configuration file (`PodSecurityConfiguration`,
/// pod-security.admission.config.k8s.io/v1): the policy of namespaces without labels, and the
/// users, namespaces and runtime classes it never checks.
public struct PodSecurityConfiguration: Sendable, Equatable {
    public struct Policy: Sendable, Equatable, CustomStringConvertible {
        public var level: PodSecurityPolicy.Level
        public var version: PodSecurityVersion
        public static let privileged = Policy(level: .privileged, version: .latest)
        public var description: String { "\(level.rawValue):\(version)" }
    }

    public var enforce = Policy.privileged
    public var audit = Policy.privileged
    public var warn = Policy.privileged
    public var exemptUsernames: Set<String> = []
    public var exemptNamespaces: Set<String> = []
    public var exemptRuntimeClasses: Set<String> = []

    public init() {}

    public struct ConfigurationError: Error, CustomStringConvertible {
        public let description: String
    }

    /// From a `PodSecurityConfiguration` object.
    public init(json: JSON) throws {
        if let kind = json["kind"]?.string, kind != "PodSecurityConfiguration" {
            throw ConfigurationError(description: "PodSecurity configuration: kind \(kind), want PodSecurityConfiguration")
        }
        let defaults = json["defaults"] ?? .null
        func policy(_ mode: String) throws -> Policy {
            var p = Policy.privileged
            if let level = defaults.string(mode) {
                guard let l = PodSecurityPolicy.Level(rawValue: level) else {
                    throw ConfigurationError(description: "PodSecurity configuration: defaults.\(mode): \"\(level)\" must be one of privileged, baseline, restricted")
                }
                p.level = l
            }
            if let version = defaults.string(mode + "-version") {
                guard let v = PodSecurityVersion.parse(version) else {
                    throw ConfigurationError(description: "PodSecurity configuration: defaults.\(mode)-version: \"\(version)\" must be \"latest\" or \"v1.x\"")
                }
                p.version = v
            }
            return p
        }
        enforce = try policy("enforce")
        audit = try policy("audit")
        warn = try policy("warn")
        let exemptions = json["exemptions"] ?? .null
        exemptUsernames = Set(exemptions.strings("usernames"))
        exemptNamespaces = Set(exemptions.strings("namespaces"))
        exemptRuntimeClasses = Set(exemptions.strings("runtimeClasses"))
    }

    /// The PodSecurity plugin's configuration in an `AdmissionConfiguration` (apiserver.config.k8s.io),
    /// nil when it has none.
    public static func from(admissionConfiguration json: JSON) throws -> PodSecurityConfiguration? {
        guard let plugin = json.objects("plugins").first(where: { $0.string("name") == "PodSecurity" }) else { return nil }
        guard let configuration = plugin["configuration"], configuration.object != nil else {
            throw ConfigurationError(description: "admission configuration: the PodSecurity plugin needs an inline configuration")
        }
        return try PodSecurityConfiguration(json: configuration)
    }
}

extension PodSecurityConfiguration {
    /// Reads an AdmissionConfiguration file (YAML or JSON; `--admission-control-config-file`).
    public static func load(admissionConfigurationFile path: String) throws -> PodSecurityConfiguration? {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(description: "admission configuration \(path): cannot be read")
        }
        do {
            return try from(admissionConfiguration: try YAMLDecoder.decode(Array(data), kind: "AdmissionConfiguration"))
        } catch let e as StatusError {
            throw ConfigurationError(description: "admission configuration \(path): \(e.message)")
        }
    }
}
