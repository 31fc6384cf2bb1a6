/// The labels and annotations the kubelet puts on sandboxes and containers, upstream's names, so
/// that a restarted kubelet (or crictl) can tell which pod and container spec each belongs to.
public enum CRILabels {
    public static let podName = "io.kubernetes.pod.name"
    public static let podNamespace = "io.kubernetes.pod.namespace"
    public static let podUID = "io.kubernetes.pod.uid"
    public static let containerName = "io.kubernetes.container.name"
    public static let containerHash = "io.kubernetes.container.hash"
    public static let restartCount = "io.kubernetes.container.restartCount"
    public static let terminationMessagePath = "io.kubernetes.container.terminationMessagePath"
    public static let terminationMessagePolicy = "io.kubernetes.container.terminationMessagePolicy"
    public static let gracePeriod = "io.kubernetes.pod.terminationGracePeriod"
    public static let kubeletManaged = "io.kubernetes.kubelet.managed"
}
