import Foundation
import KubeAPI

/// Kubernetes' ServiceAccount admission: a pod runs as `default` unless it names an account, the
/// account must exist, and (unless automounting is turned off on the pod or the account) every
/// container gets the projected `kube-api-access-*` volume at the standard path: an expiring
/// token bound to the pod, the cluster CA and the namespace.
public struct ServiceAccountAdmission: AdmissionPlugin {
    static let serviceAccounts = ResourceCatalog.lookup(group: "", version: "v1", resource: "serviceaccounts")!
    public static let mountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
    /// The lifetime the kubelet asks for, as upstream's admission writes it.
    public static let tokenExpirationSeconds: Int64 = 3607

    public init() {}

    public func admit(_ request: AdmissionRequest, object: inout JSON, store: ObjectStore) async throws {
        guard request.operation == .create, request.isPodSpecWrite, let ns = request.namespace else { return }
        var name = object[path: ["spec", "serviceAccountName"]]?.string ?? ""
        if name.isEmpty { name = object[path: ["spec", "serviceAccount"]]?.string ?? "" }
        if name.isEmpty { name = "default" }
        object[path: ["spec", "serviceAccountName"]] = .string(name)
        object[path: ["spec", "serviceAccount"]] = .string(name)
        guard let account = await find(ns, name, store: store, wait: name == "default") else {
            throw StatusError.forbidden("pods \"\(request.name)\" is forbidden: error looking up service account \(ns)/\(name): serviceaccount \"\(name)\" not found",
                                        name: request.name, kind: "pods")
        }
        let automount = object[path: ["spec", "automountServiceAccountToken"]]?.bool ?? account["automountServiceAccountToken"]?.bool ?? true
        guard automount else { return }
        let containers = ["initContainers", "containers"].flatMap { object[path: ["spec", $0]]?.array ?? [] }
        let mounted = containers.contains { c in (c["volumeMounts"]?.array ?? []).contains { $0["mountPath"]?.string == Self.mountPath } }
        guard !mounted else { return }
        let volumeName = "kube-api-access-" + ObjectStore.randomSuffix()
        var volumes = object[path: ["spec", "volumes"]]?.array ?? []
        volumes.append(Self.volume(volumeName))
        object[path: ["spec", "volumes"]] = .array(volumes)
        for field in ["initContainers", "containers"] {
            guard var list = object[path: ["spec", field]]?.array else { continue }
            for i in list.indices {
                var mounts = list[i]["volumeMounts"]?.array ?? []
                mounts.append(.object(JSONObject([("name", .string(volumeName)), ("readOnly", true), ("mountPath", .string(Self.mountPath))])))
                list[i]["volumeMounts"] = .array(mounts)
            }
            object[path: ["spec", field]] = .array(list)
        }
    }

    static func volume(_ name: String) -> JSON {
        .object(JSONObject([
            ("name", .string(name)),
            ("projected", .object(JSONObject([
                ("sources", .array([
                    ["serviceAccountToken": .object(JSONObject([("expirationSeconds", .int(tokenExpirationSeconds)), ("path", "token")]))],
                    ["configMap": .object(JSONObject([("name", .string(ServiceAccountsController.rootCAName)),
                                                      ("items", [["key": "ca.crt", "path": "ca.crt"]])]))],
                    ["downwardAPI": ["items": [.object(JSONObject([("path", "namespace"),
                                                                   ("fieldRef", .object(JSONObject([("apiVersion", "v1"), ("fieldPath", "metadata.namespace")])))]))]]],
                ])),
                ("defaultMode", 420),
            ]))),
        ]))
    }

    /// The account from the cache, or storage; `default` is waited for briefly, as a namespace
    /// made a moment ago gets it from the controller.
    func find(_ ns: String, _ name: String, store: ObjectStore, wait: Bool) async -> JSON? {
        let key = Self.serviceAccounts.key(namespace: ns, name: name)
        for attempt in 0..<(wait ? 20 : 1) {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(100)) }
            if let o = store.cache.get(key, resource: Self.serviceAccounts) { return o.json }
            if let kv = try? await store.backend.get(key), let o = try? JSONParser.parse(kv.value) { return o }
        }
        return nil
    }
}
