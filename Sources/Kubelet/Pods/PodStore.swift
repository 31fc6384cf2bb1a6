import KubeAPI
import Synchronization

/// What every part of the kubelet reads: the pods bound to this node as the API server last sent
/// them, what the runtime last reported per pod, and the settled probe results.
public final class PodStore: Sendable {
    private let state = Mutex(State())

    struct State {
        var pods: [String: JSON] = [:]
        var runtime: [String: RuntimePodState] = [:]
        /// The previous relist as it was, the PLEG's baseline: workers' own inspections update
        /// `runtime` but must not hide a change from the next relist.
        var relisted: [String: RuntimePodState] = [:]
        var probes = ProbeResults()
        /// Pods whose deletion this kubelet confirmed: events still in flight for them (the
        /// server's last updates before the DELETED one) must not start a worker again.
        var confirmedDeletions: Set<String> = []
    }

    public init() {}

    public func pod(_ uid: String) -> JSON? { state.withLock { $0.pods[uid] } }
    public var pods: [String: JSON] { state.withLock { $0.pods } }
    /// The UID of the pod with this namespace and name on the node, if any.
    public func uid(namespace: String, name: String) -> String? {
        state.withLock { s in
            s.pods.first { _, p in
                p[path: ["metadata", "namespace"]]?.string == namespace && p[path: ["metadata", "name"]]?.string == name
            }?.key
        }
    }

    public func setPod(_ uid: String, _ pod: JSON?) {
        state.withLock { s in
            s.pods[uid] = pod
            if pod == nil { s.confirmedDeletions.remove(uid) }
        }
    }

    public func replacePods(_ pods: [String: JSON]) {
        state.withLock { s in
            s.pods = pods
            s.confirmedDeletions.formIntersection(pods.keys)
        }
    }

    public func confirmDeletion(_ uid: String) { _ = state.withLock { $0.confirmedDeletions.insert(uid) } }
    public func isDeletionConfirmed(_ uid: String) -> Bool { state.withLock { $0.confirmedDeletions.contains(uid) } }

    public func runtime(_ uid: String) -> RuntimePodState { state.withLock { $0.runtime[uid] ?? RuntimePodState() } }
    public func setRuntime(_ uid: String, _ r: RuntimePodState) { state.withLock { $0.runtime[uid] = r } }

    /// Stores a full relist and answers the pods whose state changed.
    public func replaceRuntime(_ all: [String: RuntimePodState]) -> Set<String> {
        state.withLock { s in
            var changed = Set<String>()
            for (uid, r) in all where s.relisted[uid] != r { changed.insert(uid) }
            for uid in s.relisted.keys where all[uid] == nil { changed.insert(uid) }
            s.relisted = all
            s.runtime = all
            return changed
        }
    }

    public var probes: ProbeResults { state.withLock { $0.probes } }

    /// Sets one result; answers whether it changed.
    public func setProbe(_ kind: ProbeKind, _ containerID: String, _ result: ProbeResult) -> Bool {
        state.withLock { s in
            guard s.probes[kind, containerID] != result else { return false }
            s.probes[kind, containerID] = result
            return true
        }
    }

    public func removeProbes(containerID: String) { state.withLock { $0.probes.remove(containerID: containerID) } }
}
