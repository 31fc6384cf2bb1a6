import KubeAPI
import Logging
import ServiceLifecycle

/// Gives every active namespace what pods expect to find there: the `default` ServiceAccount
/// (Kubernetes' service-account controller) and the `kube-root-ca.crt` ConfigMap holding the
/// cluster CA (the root-CA publisher), recreating either when deleted.
public struct ServiceAccountsController: Service {
    let store: ObjectStore
    let rootCAPEM: String
    let logger: Logger
    let interval: Duration

    static let namespaces = ResourceCatalog.lookup(group: "", version: "v1", resource: "namespaces")!
    static let serviceAccounts = ResourceCatalog.lookup(group: "", version: "v1", resource: "serviceaccounts")!
    static let configMaps = ResourceCatalog.lookup(group: "", version: "v1", resource: "configmaps")!
    public static let rootCAName = "kube-root-ca.crt"

    public init(store: ObjectStore, rootCAPEM: String, logger: Logger, interval: Duration = .milliseconds(200)) {
        self.store = store
        self.rootCAPEM = rootCAPEM
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        var seen: Int64 = -10
        while !Task.isCancelled {
            let stamp = store.cache.lastChange(of: [Self.namespaces, Self.serviceAccounts, Self.configMaps])
            if stamp != seen {
                seen = stamp
                await reconcile()
            }
            try? await Task.sleep(for: interval)
        }
    }

    func reconcile() async {
        let namespaces = store.cache.list(WatchFilter(resource: Self.namespaces, namespace: nil, labels: nil, fields: nil)).items
        for ns in namespaces where ns.fields["status.phase"] != "Terminating" {
            if store.cache.get(Self.serviceAccounts.key(namespace: ns.name, name: "default"), resource: Self.serviceAccounts) == nil {
                await create(Self.serviceAccounts, ns.name, ["metadata": ["name": "default"]])
            }
            let cm = store.cache.get(Self.configMaps.key(namespace: ns.name, name: Self.rootCAName), resource: Self.configMaps)
            if cm == nil {
                await create(Self.configMaps, ns.name, .object(JSONObject([
                    ("metadata", .object(JSONObject([("name", .string(Self.rootCAName)),
                                                     ("annotations", ["kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."])]))),
                    ("data", .object(JSONObject([("ca.crt", .string(rootCAPEM))]))),
                ])))
            }
        }
    }

    func create(_ r: ResourceInfo, _ namespace: String, _ object: JSON) async {
        do {
            _ = try await store.create(r, namespace: namespace, object: object, options: RequestOptions())
        } catch let e as StatusError where e.code == 409 || e.code == 403 || e.code == 404 {
            return
        } catch {
            logger.warning("could not create \(r.kind)", metadata: ["namespace": "\(namespace)", "error": "\(error)"])
        }
    }
}
