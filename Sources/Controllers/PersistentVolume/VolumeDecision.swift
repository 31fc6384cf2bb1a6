import KubeAPI
import VolumeProvisioning

/// What the PV controller does about one volume (syncVolume upstream, with reclaiming and the
/// pv-protection controller's part).
public enum VolumeAction: Sendable, Equatable {
    case none
    case setPhase(String)
    /// Reclaim policy Delete: remove the storage (through the driver when it provisioned it), then the PV.
    case delete
    /// The volume is being deleted and is not bound: let it go.
    case releaseProtection
}

public enum VolumeDecision {
    /// `claim` is the claim the volume's claimRef names, if it still exists.
    public static func decide(_ pv: JSON, claim: JSON?) -> VolumeAction {
        let meta = pv["metadata"] ?? [:]
        let phase = pv[path: ["status", "phase"]]?.string ?? ""
        if let d = meta["deletionTimestamp"], !d.isNull {
            let finalizers = meta["finalizers"]?.array?.compactMap(\.string) ?? []
            return finalizers.contains(StorageKeys.pvProtection) && phase != "Bound" ? .releaseProtection : .none
        }
        guard let ref = pv[path: ["spec", "claimRef"]], ref.object != nil else {
            return phase == "Available" ? .none : .setPhase("Available")
        }
        let refUID = ref.string("uid") ?? ""
        if let claim, refUID.isEmpty || claim[path: ["metadata", "uid"]]?.string == refUID {
            // Bound, or about to be: the claim side finishes the binding.
            return .none
        }
        if claim == nil && refUID.isEmpty {
            // Pre-bound to a claim that does not exist yet.
            return phase == "Available" ? .none : .setPhase("Available")
        }
        // The claim is gone: released.
        switch pv[path: ["spec", "persistentVolumeReclaimPolicy"]]?.string ?? "Retain" {
        case "Delete": return .delete
        default: return phase == "Released" ? .none : .setPhase("Released")
        }
    }
}
