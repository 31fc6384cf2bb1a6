/// Annotations and finalizers of the PV machinery, as Kubernetes spells them.
public enum StorageKeys {
    public static let bindCompleted = "pv.kubernetes.io/bind-completed"
    public static let boundByController = "pv.kubernetes.io/bound-by-controller"
    public static let provisionedBy = "pv.kubernetes.io/provisioned-by"
    public static let storageProvisioner = "volume.kubernetes.io/storage-provisioner"
    public static let betaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner"
    public static let selectedNode = "volume.kubernetes.io/selected-node"
    public static let defaultClass = "storageclass.kubernetes.io/is-default-class"
    public static let pvcProtection = "kubernetes.io/pvc-protection"
    public static let pvProtection = "kubernetes.io/pv-protection"
    public static let provisionerIdentity = "storage.kubernetes.io/csiProvisionerIdentity"
}
