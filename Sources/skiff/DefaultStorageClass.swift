import CSIDriver
import KubeAPI
import KubeClient
import Logging

/// The StorageClass `skiff server` creates at boot when it runs the host-path driver: the
/// cluster default, late binding (volumes live on one node's disk, so the pod's node decides).
enum DefaultStorageClassBootstrap {
    static let name = "skiff-hostpath"

    static var object: JSON {
        .object(JSONObject([
            ("apiVersion", "storage.k8s.io/v1"), ("kind", "StorageClass"),
            ("metadata", .object(JSONObject([
                ("name", .string(name)),
                ("annotations", .object(JSONObject([("storageclass.kubernetes.io/is-default-class", "true")]))),
            ]))),
            ("provisioner", .string(HostPathConfiguration.defaultDriverName)),
            ("reclaimPolicy", "Delete"),
            ("volumeBindingMode", "WaitForFirstConsumer"),
            ("allowVolumeExpansion", false),
        ]))
    }

    /// Creates it unless it exists (a user's edits of it are kept), retrying until the API
    /// server takes it.
    static func ensure(_ client: KubeClient, logger: Logger) async {
        while !Task.isCancelled {
            do {
                _ = try await client.create("/apis/storage.k8s.io/v1/storageclasses", object)
                return
            } catch let e as KubeClientError where e.isAlreadyExists {
                return
            } catch {
                logger.warning("default StorageClass not created yet", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
