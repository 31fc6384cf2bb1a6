import Foundation
import KubeAPI

/// The files a configMap, secret, downwardAPI or projected volume holds: relative path → bytes and
/// mode. Pure; the objects are fetched before. A missing object or key that is not optional is a
/// `VolumeError` ("configmap \"x\" not found"), which the pod's FailedMount event shows.
public struct VolumeFiles: Sendable {
    public struct File: Sendable, Equatable {
        public var data: [UInt8]
        public var mode: Int64
    }

    public var pod: PodSpecView
    public var configMaps: [String: JSON]
    public var secrets: [String: JSON]
    /// Service-account tokens by `ServiceAccountTokenCache.Request.key`.
    public var tokens: [String: String]

    public init(pod: PodSpecView, configMaps: [String: JSON], secrets: [String: JSON], tokens: [String: String] = [:]) {
        self.pod = pod
        self.configMaps = configMaps
        self.secrets = secrets
        self.tokens = tokens
    }

    public func files(for source: VolumeSpec.Source) throws(VolumeError) -> [String: File]? {
        switch source {
        case .configMap(let name, let items, let mode, let optional):
            return try keyed(configMaps[name], kind: "configmap", name: name, items: items, mode: mode, optional: optional, secret: false)
        case .secret(let name, let items, let mode, let optional):
            return try keyed(secrets[name], kind: "secret", name: name, items: items, mode: mode, optional: optional, secret: true)
        case .downwardAPI(let json):
            return try downward(json["items"]?.array ?? [], mode: json["defaultMode"]?.int ?? 0o644)
        case .projected(let json):
            let mode = json["defaultMode"]?.int ?? 0o644
            var out: [String: File] = [:]
            for source in json["sources"]?.array ?? [] {
                if let c = source["configMap"] {
                    let name = c["name"]?.string ?? ""
                    out.merge(try keyed(configMaps[name], kind: "configmap", name: name, items: Self.items(c), mode: mode,
                                        optional: c["optional"]?.bool ?? false, secret: false)) { _, new in new }
                } else if let s = source["secret"] {
                    let name = s["name"]?.string ?? ""
                    out.merge(try keyed(secrets[name], kind: "secret", name: name, items: Self.items(s), mode: mode,
                                        optional: s["optional"]?.bool ?? false, secret: true)) { _, new in new }
                } else if let d = source["downwardAPI"] {
                    out.merge(try downward(d["items"]?.array ?? [], mode: mode)) { _, new in new }
                } else if let t = source["serviceAccountToken"] {
                    let request = ServiceAccountTokenCache.Request(audience: t["audience"]?.string ?? "",
                                                                   expirationSeconds: t["expirationSeconds"]?.int ?? 3600)
                    guard let token = tokens[request.key] else {
                        throw VolumeError(message: "failed to fetch token: the service account token for the pod is not available yet")
                    }
                    out[t["path"]?.string ?? "token"] = File(data: Array(token.utf8), mode: mode)
                }
            }
            return out
        default:
            return nil
        }
    }

    /// Names of the ConfigMaps and Secrets a volume needs.
    public static func references(_ source: VolumeSpec.Source) -> (configMaps: [String], secrets: [String]) {
        switch source {
        case .configMap(let name, _, _, _): return ([name], [])
        case .secret(let name, _, _, _): return ([], [name])
        case .projected(let json):
            let sources = json["sources"]?.array ?? []
            return (sources.compactMap { $0[path: ["configMap", "name"]]?.string },
                    sources.compactMap { $0[path: ["secret", "name"]]?.string })
        default: return ([], [])
        }
    }

    static func items(_ j: JSON) -> [VolumeSpec.KeyToPath] {
        (j["items"]?.array ?? []).map {
            VolumeSpec.KeyToPath(key: $0["key"]?.string ?? "", path: $0["path"]?.string ?? "", mode: $0["mode"]?.int)
        }
    }

    private func keyed(_ object: JSON?, kind: String, name: String, items: [VolumeSpec.KeyToPath], mode: Int64,
                       optional: Bool, secret: Bool) throws(VolumeError) -> [String: File] {
        guard let object else {
            if optional { return [:] }
            throw VolumeError(message: "\(kind) \"\(name)\" not found")
        }
        var data: [String: [UInt8]] = [:]
        for (k, v) in object["data"]?.object ?? JSONObject() {
            guard let s = v.string else { continue }
            data[k] = secret ? Data(base64Encoded: s).map { Array($0) } ?? [] : Array(s.utf8)
        }
        if !secret {
            for (k, v) in object["binaryData"]?.object ?? JSONObject() {
                if let s = v.string, let d = Data(base64Encoded: s) { data[k] = Array(d) }
            }
        }
        guard !items.isEmpty else { return data.mapValues { File(data: $0, mode: mode) } }
        var out: [String: File] = [:]
        for item in items {
            guard let bytes = data[item.key] else {
                if optional { continue }
                throw VolumeError(message: "configmap references non-existent config key: \(item.key)")
            }
            out[item.path] = File(data: bytes, mode: item.mode ?? mode)
        }
        return out
    }

    private func downward(_ items: [JSON], mode: Int64) throws(VolumeError) -> [String: File] {
        var out: [String: File] = [:]
        for item in items {
            guard let path = item["path"]?.string else { continue }
            let value: String
            do {
                if let field = item[path: ["fieldRef", "fieldPath"]]?.string {
                    value = try DownwardAPI.field(field, pod: pod, podIPs: [], hostIPs: [])
                } else if let r = item["resourceFieldRef"], let resource = r["resource"]?.string {
                    let container = r["containerName"]?.string.flatMap { pod.container(named: $0) } ?? pod.containers.first
                    guard let container else { continue }
                    value = try DownwardAPI.resource(resource, divisor: r["divisor"].flatMap { try? Quantity(json: $0) },
                                                     container: container, allocatable: [:])
                } else { continue }
            } catch { throw VolumeError(message: error.message) }
            out[path] = File(data: Array(value.utf8), mode: item["mode"]?.int ?? mode)
        }
        return out
    }
}

public struct VolumeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
