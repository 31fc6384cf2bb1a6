import Foundation
import KubeAPI
import KubeClient

/// The kubelet's dispatch loop: pod changes from the API server and runtime changes from the
/// relist are turned into pokes of per-pod workers; it decides nothing itself (syncLoop upstream).
actor PodCoordinator {
    private let ctx: KubeletContext
    private var workers: [String: PodWorker] = [:]
    /// Orphan cleanup waits for the first complete pod list.
    private var podsSynced = false

    init(ctx: KubeletContext) { self.ctx = ctx }

    func watchPods() async {
        let reflector = Reflector(client: ctx.client, path: "/api/v1/pods", fieldSelector: "spec.nodeName=\(ctx.config.nodeName)")
        for await event in reflector.events() {
            switch event {
            case .replaced(let items):
                var pods: [String: JSON] = [:]
                for p in items { if let uid = Self.uid(p) { pods[uid] = p } }
                let gone = Set(ctx.store.pods.keys).subtracting(pods.keys)
                ctx.store.replacePods(pods)
                for uid in Set(pods.keys).union(gone) { await worker(uid).poke() }
                if !podsSynced {
                    podsSynced = true
                    cleanUpVolumesOfUnknownPods()
                }
            case .added(let p), .modified(let p):
                guard let uid = Self.uid(p) else { continue }
                let before = ctx.store.pod(uid)
                ctx.store.setPod(uid, p)
                // Deleted for good already: the DELETED event is on its way.
                if ctx.store.isDeletionConfirmed(uid) { continue }
                // Our own status writes come back as updates: only a change of what the pod asks
                // for is a reason to sync (checkAndUpdatePod upstream).
                if let before, Self.desired(before) == Self.desired(p) { continue }
                await worker(uid).poke()
            case .deleted(let p):
                guard let uid = Self.uid(p) else { continue }
                ctx.store.setPod(uid, nil)
                await workers[uid]?.poke()
            }
        }
    }

    /// The PLEG: relist the runtime every second and poke the pods whose state changed.
    func relistLoop() async {
        while !Task.isCancelled {
            do {
                let all = try await ctx.observer.relist()
                let changed = ctx.store.replaceRuntime(all)
                if !changed.isEmpty { ctx.logger.debug("relist: pods changed", metadata: ["pods": "\(changed)"]) }
                for uid in changed {
                    if let w = workers[uid] {
                        await w.poke()
                    } else if podsSynced, ctx.store.pod(uid) == nil, all[uid].map({ !$0.sandboxes.isEmpty || !$0.containers.isEmpty }) == true {
                        // Runtime leftovers of a pod this node no longer has.
                        await worker(uid).poke()
                    }
                }
            } catch {
                ctx.logger.warning("runtime relist failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: ctx.config.relistPeriod)
        }
    }

    private func worker(_ uid: String) -> PodWorker {
        if let w = workers[uid] { return w }
        let w = PodWorker(uid: uid, ctx: ctx) { [weak self] uid in
            Task { await self?.remove(uid) }
        }
        workers[uid] = w
        return w
    }

    private func remove(_ uid: String) {
        workers[uid] = nil
    }

    var workerCount: Int { workers.count }

    /// In the background: CSI volumes wait for their drivers to register again.
    private func cleanUpVolumesOfUnknownPods() {
        let known = Set(ctx.store.pods.keys)
        let ctx = self.ctx
        let orphans = ctx.volumes.podsOnDisk().filter { !known.contains($0) && ctx.store.runtime($0).containers.isEmpty }
        guard !orphans.isEmpty else { return }
        Task {
            for uid in orphans where await ctx.csi.tearDown(podUID: uid) {
                ctx.volumes.tearDown(podUID: uid)
            }
        }
    }

    static func uid(_ pod: JSON) -> String? { pod[path: ["metadata", "uid"]]?.string }

    /// The parts of a pod a sync acts on: spec, labels, annotations and deletion.
    static func desired(_ pod: JSON) -> [JSON?] {
        [pod["spec"], pod[path: ["metadata", "labels"]], pod[path: ["metadata", "annotations"]],
         pod[path: ["metadata", "deletionTimestamp"]], pod[path: ["metadata", "deletionGracePeriodSeconds"]]]
    }
}
