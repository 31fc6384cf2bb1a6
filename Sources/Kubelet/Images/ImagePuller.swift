import Foundation

/// Decides, per container start, whether to use a present image, pull it, or fail, and keeps the
/// image-pull backoff: a failed pull is ErrImagePull, and further attempts inside the backoff
/// window are ImagePullBackOff without contacting the registry (EnsureImageExists upstream).
public struct ImagePuller: Sendable {
    public enum Decision: Sendable, Equatable {
        case usePresent
        case pull
        case fail(ContainerStartFailure)
    }

    public private(set) var backoff: Backoff

    public init(backoff: Backoff = Backoff()) { self.backoff = backoff }

    /// The decision and the events to emit with it.
    public func decide(_ c: ContainerSpec, pod: PodSpecView, imagePresent: Bool, now: Date) -> (Decision, [KubeletEvent]) {
        if let error = ImageReference.error(c.image) {
            let message = "Failed to apply default image tag \"\(c.image)\": couldn't parse image name \"\(c.image)\": \(error)"
            return (.fail(.init(.invalidImageName, message)), [.invalidImageName(c, error: "couldn't parse image name \"\(c.image)\": \(error)"),
                                                             .failed(c, error: WaitingReason.invalidImageName.rawValue)])
        }
        let mustPull = switch c.imagePullPolicy {
        case .always: true
        case .ifNotPresent: !imagePresent
        case .never: false
        }
        if !mustPull {
            if imagePresent { return (.usePresent, [.alreadyPresent(c)]) }
            let message = "Container image \"\(c.image)\" is not present with pull policy of Never"
            return (.fail(.init(.errImageNeverPull, message)), [.neverPull(c), .failed(c, error: WaitingReason.errImageNeverPull.rawValue)])
        }
        let key = BackoffKey.image(podUID: pod.uid, image: c.image)
        if backoff.isInBackoffSinceUpdate(key, now: now) {
            let message = "Back-off pulling image \"\(c.image)\""
            return (.fail(.init(.imagePullBackOff, message)), [.pullBackOff(c), .failed(c, error: WaitingReason.imagePullBackOff.rawValue)])
        }
        return (.pull, [.pulling(c)])
    }

    /// Records a failed pull; the next attempt waits out the (doubled) backoff. A success needs no
    /// record (the Pulled event says it): as upstream, the entry then expires on its own.
    public mutating func pullFailed(_ c: ContainerSpec, pod: PodSpecView, error: String, now: Date) -> (ContainerStartFailure, [KubeletEvent]) {
        let key = BackoffKey.image(podUID: pod.uid, image: c.image)
        backoff.next(key, eventTime: now, now: now)
        return (.init(.errImagePull, error), [.pullFailed(c, error: error), .failed(c, error: WaitingReason.errImagePull.rawValue)])
    }
}
