import KubeAPI

extension Scheduler {
    func scheduleLoop() async {
        while !Task.isCancelled {
            if !listed.isSuperset(of: [.pod, .node]) {
                await waitForWork()
                continue
            }
            if binding.count >= configuration.maxConcurrentBinds {
                await waitForBindSlot()
                continue
            }
            guard let popped = queue.pop() else {
                await waitForWork()
                continue
            }
            scheduleOne(popped)
            // Lets watch events and binding results in between pods.
            await Task.yield()
        }
    }

    func scheduleOne(_ popped: SchedulingQueue.Popped) {
        let pod = popped.pod
        switch algorithm.schedule(pod, in: cache) {
        case .node(let node):
            cache.assume(pod, on: node)
            volumes.setPodClaims(uid: pod.uid, namespace: pod.namespace, claims: pod.claimNames)
            let late = VolumeBinding(state: volumes).lateBindingClaims(pod)
            queue.done(uid: pod.uid)
            binding[pod.uid] = Binding(pod: pod, json: popped.json, attempts: popped.attempts, node: node)
            Task { await self.bind(pod, to: node, selecting: late) }
        case .unschedulable(let fit):
            unschedulable(popped, message: fit.message)
        case .noNodes:
            unschedulable(popped, message: ScheduleAlgorithm.noNodesMessage)
        case .error(let message):
            failedAttempts += 1
            queue.requeueBackoff(uid: pod.uid, now: now())
            logger.warning("scheduling cycle failed", metadata: ["pod": "\(pod.key)", "error": "\(message)"])
            recordFailure(pod, message: message)
        }
    }

    func unschedulable(_ popped: SchedulingQueue.Popped, message: String) {
        let pod = popped.pod
        failedAttempts += 1
        queue.requeueUnschedulable(uid: pod.uid, cycle: popped.cycle, now: now())
        logger.debug("pod unschedulable", metadata: ["pod": "\(pod.key)", "message": "\(message)"])
        let writeStatus = reportedMessages[pod.uid] != message
        reportedMessages[pod.uid] = message
        let api = self.api, logger = self.logger
        Task {
            if writeStatus {
                do { try await api.setUnschedulable(namespace: pod.namespace, name: pod.name, message: message) } catch {
                    logger.warning("writing PodScheduled=False failed", metadata: ["pod": "\(pod.key)", "error": "\(error)"])
                    self.statusWriteFailed(uid: pod.uid, message: message)
                }
            }
            do { try await api.recordEvent(.failedScheduling(pod, message: message)) } catch {
                logger.warning("recording FailedScheduling event failed", metadata: ["pod": "\(pod.key)", "error": "\(error)"])
            }
        }
    }

    /// So the next failure writes the status again.
    func statusWriteFailed(uid: String, message: String) {
        if reportedMessages[uid] == message { reportedMessages[uid] = nil }
    }

    /// Late-binding claims learn the node first, so the PV controller provisions there (PreBind upstream).
    nonisolated func bind(_ pod: PodInfo, to node: String, selecting claims: [String] = []) async {
        do {
            for claim in claims { try await api.selectNode(namespace: pod.namespace, claim: claim, node: node) }
            let outcome = try await api.bind(namespace: pod.namespace, name: pod.name, uid: pod.uid, node: node)
            await bindFinished(uid: pod.uid, outcome: outcome)
        } catch {
            await bindFailed(uid: pod.uid, error: error)
        }
    }

    func bindFinished(uid: String, outcome: BindOutcome) {
        defer { wakeBindSlot() }
        guard let b = binding.removeValue(forKey: uid) else { return }
        reportedMessages[uid] = nil
        switch outcome {
        case .bound:
            scheduledCount += 1
            let api = self.api, logger = self.logger
            Task {
                do { try await api.recordEvent(.scheduled(b.pod, node: b.node)) } catch {
                    logger.warning("recording Scheduled event failed", metadata: ["pod": "\(b.pod.key)", "error": "\(error)"])
                }
            }
        case .conflict:
            logger.debug("binding conflict; dropping pod", metadata: ["pod": "\(b.pod.key)"])
            cache.forget(uid: uid)
            volumes.setPodClaims(uid: uid, namespace: "", claims: nil)
            // Unless the watch already showed it bound, the pod is no longer ours to track.
            if cache.nodeName(ofPod: uid) == nil { knownPods.remove(uid) }
        }
    }

    func bindFailed(uid: String, error: any Error) {
        defer { wakeBindSlot() }
        guard let b = binding.removeValue(forKey: uid) else { return }
        logger.warning("binding failed", metadata: ["pod": "\(b.pod.key)", "node": "\(b.node)", "error": "\(error)"])
        cache.forget(uid: uid)
        volumes.setPodClaims(uid: uid, namespace: "", claims: nil)
        // The watch may already have shown the pod bound (the call failed after it took effect).
        guard cache.nodeName(ofPod: uid) == nil else { return }
        failedAttempts += 1
        queue.readdAfterFailure(b.pod, json: b.json, attempts: b.attempts, now: now())
        recordFailure(b.pod, message: "running Bind plugin \"DefaultBinder\": \(error)")
    }

    /// A FailedScheduling event for a failure that is not the pod's fault (no status change).
    func recordFailure(_ pod: PodInfo, message: String) {
        let api = self.api, logger = self.logger
        Task {
            do { try await api.recordEvent(.failedScheduling(pod, message: message)) } catch {
                logger.warning("recording FailedScheduling event failed", metadata: ["pod": "\(pod.key)", "error": "\(error)"])
            }
        }
    }

    func waitForWork() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { c in if Task.isCancelled { c.resume() } else { workWaiter = c } }
        } onCancel: {
            Task { await self.wakeScheduler() }
        }
    }

    func waitForBindSlot() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { c in if Task.isCancelled { c.resume() } else { bindSlotWaiter = c } }
        } onCancel: {
            Task { await self.wakeBindSlot() }
        }
    }

    func wakeScheduler() {
        workWaiter?.resume()
        workWaiter = nil
    }

    func wakeBindSlot() {
        bindSlotWaiter?.resume()
        bindSlotWaiter = nil
    }
}
