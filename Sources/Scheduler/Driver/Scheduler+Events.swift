import KubeAPI

extension Scheduler {
    func apply(_ event: ClusterEvent) {
        switch event {
        case .listed(.node, let nodes):
            let names = Set(nodes.compactMap { $0["metadata"]?.string("name") })
            for n in cache.nodes.map(\.name) where !names.contains(n) { cache.removeNode(named: n) }
            for n in nodes { cache.upsertNode(n) }
            listed.insert(.node)
            clusterChanged()
        case .listed(.pod, let pods):
            let uids = Set(pods.compactMap { $0["metadata"]?.string("uid") })
            for uid in knownPods where !uids.contains(uid) { podDeleted(uid: uid) }
            for p in pods { podUpserted(p) }
            listed.insert(.pod)
            wakeScheduler()
        case .added(.node, let node), .modified(.node, let node):
            if cache.upsertNode(node) { clusterChanged() }
        case .deleted(.node, let node):
            cache.removeNode(named: node["metadata"]?.string("name") ?? "")
        case .added(.pod, let pod), .modified(.pod, let pod):
            podUpserted(pod)
        case .deleted(.pod, let pod):
            podDeleted(uid: pod["metadata"]?.string("uid") ?? "")
        }
    }

    func podUpserted(_ json: JSON) {
        let pod = PodInfo(pod: json)
        if !pod.nodeName.isEmpty {
            queue.delete(uid: pod.uid)
            if pod.isTerminal {
                // A finished pod no longer holds resources (the upstream informer drops them).
                knownPods.remove(pod.uid)
                if cache.removePod(uid: pod.uid) { clusterChanged() }
            } else {
                knownPods.insert(pod.uid)
                cache.upsertAssignedPod(pod)
            }
            return
        }
        if binding[pod.uid] != nil || cache.isAssumed(uid: pod.uid) {
            // Our binding is in flight; this event predates it.
            binding[pod.uid]?.json = json
            binding[pod.uid]?.pod = pod
            return
        }
        guard isResponsible(for: pod) else {
            queue.delete(uid: pod.uid)
            knownPods.remove(pod.uid)
            return
        }
        knownPods.insert(pod.uid)
        queue.add(pod, json: json, now: now())
        wakeScheduler()
    }

    /// Unassigned, ours, not being deleted, not finished, not gated.
    func isResponsible(for pod: PodInfo) -> Bool {
        pod.nodeName.isEmpty && pod.schedulerName == configuration.profile.schedulerName && !pod.isDeleted && !pod.isTerminal
            && !pod.isGated
    }

    func podDeleted(uid: String) {
        knownPods.remove(uid)
        queue.delete(uid: uid)
        binding[uid] = nil
        reportedMessages[uid] = nil
        if cache.removePod(uid: uid) { clusterChanged() }
    }

    /// Something that may let parked pods fit happened.
    func clusterChanged() {
        queue.moveAllToActiveOrBackoff(now: now())
        wakeScheduler()
    }
}
