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
        case .listed(.claim, let items):
            volumes.replace(claims: items)
            clusterChanged()
        case .listed(.volume, let items):
            volumes.replace(volumes: items)
            clusterChanged()
        case .listed(.storageClass, let items):
            volumes.replace(classes: items)
            clusterChanged()
        case .added(.claim, let o), .modified(.claim, let o):
            volumes.upsertClaim(o)
            clusterChanged()
        case .deleted(.claim, let o):
            volumes.removeClaim(o)
        case .added(.volume, let o), .modified(.volume, let o):
            volumes.upsertVolume(o)
            clusterChanged()
        case .deleted(.volume, let o):
            volumes.removeVolume(o)
        case .added(.storageClass, let o), .modified(.storageClass, let o):
            volumes.upsertClass(o)
            clusterChanged()
        case .deleted(.storageClass, let o):
            volumes.removeClass(o)
        }
    }

    func podUpserted(_ json: JSON) {
        let pod = PodInfo(pod: json)
        if !pod.nodeName.isEmpty {
            queue.delete(uid: pod.uid)
            volumes.setPodClaims(uid: pod.uid, namespace: pod.namespace, claims: pod.isTerminal ? nil : pod.claimNames)
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
        volumes.setPodClaims(uid: uid, namespace: "", claims: nil)
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
