import KubeAPI
import VolumeProvisioning

/// What the PV controller does about one claim, decided from the cluster as it stands
/// (syncClaim upstream, plus the provisioner's and the pvc-protection controller's parts).
public enum ClaimAction: Sendable, Equatable {
    case none
    /// Bind the claim to an existing Available volume.
    case bind(volume: String)
    /// The volume already names the claim (pre-bound, or provisioned for it): finish both sides.
    case completeBinding(volume: String)
    /// Ask the class's driver for a volume; `node` is the scheduler's choice for late binding.
    case provision(className: String, node: String?)
    /// Delayed binding: nothing to do until a pod using the claim is scheduled.
    case waitForFirstConsumer
    /// The claim cannot be satisfied as it stands; an event says why.
    case fail(reason: String, message: String)
    /// The claim is being deleted and no pod uses it any more: let it go.
    case releaseProtection
}

public struct ClaimContext: Sendable {
    public var volumes: [String: JSON]
    public var classes: [String: JSON]
    /// Drivers this controller provisions for.
    public var provisioners: Set<String>
    /// Whether a pod that is not finished uses the claim.
    public var inUse: Bool
    /// The node of a scheduled pod using the claim, when the scheduler did not annotate it.
    public var consumerNode: String?
    /// Which claims are this controller's to provision (the others are their node's).
    public var scope: ProvisioningScope

    public init(volumes: [String: JSON], classes: [String: JSON], provisioners: Set<String>, inUse: Bool, consumerNode: String?,
                scope: ProvisioningScope = .central()) {
        self.volumes = volumes
        self.classes = classes
        self.provisioners = provisioners
        self.inUse = inUse
        self.consumerNode = consumerNode
        self.scope = scope
    }
}

public enum ClaimDecision {
    public static func decide(_ claim: JSON, _ ctx: ClaimContext) -> ClaimAction {
        let meta = claim["metadata"] ?? [:]
        if let d = meta["deletionTimestamp"], !d.isNull {
            let finalizers = meta["finalizers"]?.array?.compactMap(\.string) ?? []
            return finalizers.contains(StorageKeys.pvcProtection) && !ctx.inUse ? .releaseProtection : .none
        }
        let uid = meta.string("uid") ?? ""
        let bound = claim[path: ["spec", "volumeName"]]?.string ?? ""
        if !bound.isEmpty {
            guard let pv = ctx.volumes[bound], refersTo(pv, claim) else { return .none }
            let done = claim[path: ["status", "phase"]]?.string == "Bound" && pv[path: ["status", "phase"]]?.string == "Bound"
                && meta.stringMap("annotations")[StorageKeys.bindCompleted] == "yes"
            return done ? .none : .completeBinding(volume: bound)
        }
        if let pv = ctx.volumes.values.first(where: { refersTo($0, claim) && ($0[path: ["spec", "claimRef", "uid"]]?.string ?? "") == uid }) {
            return .completeBinding(volume: pv[path: ["metadata", "name"]]?.string ?? "")
        }
        let className = VolumeMatching.className(claim)
        let storageClass = className.isEmpty ? nil : ctx.classes[className]
        let lateBinding = storageClass?["volumeBindingMode"]?.string == "WaitForFirstConsumer"
        let node = meta.stringMap("annotations")[StorageKeys.selectedNode] ?? ctx.consumerNode
        if lateBinding && node == nil { return .waitForFirstConsumer }
        if let pv = VolumeMatching.best(for: claim, among: Array(ctx.volumes.values)) {
            return .bind(volume: pv[path: ["metadata", "name"]]?.string ?? "")
        }
        if className.isEmpty {
            return .fail(reason: "FailedBinding", message: "no persistent volumes available for this claim and no storage class is set")
        }
        guard let storageClass else {
            return .fail(reason: "ProvisioningFailed", message: "storageclass.storage.k8s.io \"\(className)\" not found")
        }
        let provisioner = storageClass.string("provisioner") ?? ""
        guard ctx.provisioners.contains(provisioner), ctx.scope.provisions(lateBinding: lateBinding, selectedNode: node) else {
            return .fail(reason: "ExternalProvisioning",
                         message: "Waiting for a volume to be created either by the external provisioner '\(provisioner)' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.")
        }
        return .provision(className: className, node: lateBinding ? node : nil)
    }

    /// Whether the volume's claimRef names this claim (by uid when it has one).
    static func refersTo(_ pv: JSON, _ claim: JSON) -> Bool {
        guard let ref = pv[path: ["spec", "claimRef"]], ref.object != nil else { return false }
        let meta = claim["metadata"] ?? [:]
        guard ref.string("name") == meta.string("name"), (ref.string("namespace") ?? "default") == (meta.string("namespace") ?? "default") else {
            return false
        }
        let refUID = ref.string("uid") ?? ""
        return refUID.isEmpty || refUID == meta.string("uid")
    }
}
