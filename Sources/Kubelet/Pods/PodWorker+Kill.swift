import CRI
import Foundation
import KubeAPI
import KubeClient

extension PodWorker {
    /// Stops one container within `grace` seconds (SIGTERM, then SIGKILL by the runtime).
    func stopContainer(_ id: String, grace: Int64) async {
        guard stopping.insert(id).inserted else { return }
        defer { stopping.remove(id) }
        _ = try? await ctx.cri.runtime.stopContainer(.with {
            $0.containerID = id
            $0.timeout = max(0, grace)
        }, options: CRIRuntimeClient.options(timeout: .seconds(max(0, grace)) + .seconds(120)))
    }

    /// Stops every running container (preStop hooks first, in parallel) and the sandboxes.
    /// Containers stay for their logs unless `keepContainers` is false.
    func killAll(grace: Int64, reason: String?, pod: PodSpecView? = nil, keepContainers: Bool = true) async {
        let runtime = await inspect()
        let deadline = ContinuousClock.now + .seconds(grace)
        await withTaskGroup(of: Void.self) { group in
            for c in runtime.containers where c.state == .running || c.state == .created || c.state == .unknown {
                let spec = pod?.container(named: c.name)
                group.addTask {
                    if let spec, let pod, c.state == .running {
                        self.ctx.events.emit(.killing(spec), pod: pod)
                        if let hook = spec.preStop {
                            _ = await self.ctx.handlers.run(hook, container: spec, containerID: c.id, podIP: runtime.podIPs.first,
                                                            timeout: .seconds(max(1, grace)))
                        }
                    }
                    let left = max(0, Int64((deadline - ContinuousClock.now).components.seconds))
                    await self.stopContainer(c.id, grace: min(left, grace))
                }
            }
        }
        for s in runtime.sandboxes where s.state == .ready {
            _ = try? await ctx.cri.runtime.stopPodSandbox(.with { $0.podSandboxID = s.id }, options: CRIRuntimeClient.options())
        }
        if !keepContainers {
            for c in runtime.containers {
                _ = try? await ctx.cri.runtime.removeContainer(.with { $0.containerID = c.id })
                ctx.store.removeProbes(containerID: c.id)
            }
        }
    }

    /// Removes the pod's sandboxes (and so its containers), volumes and cgroup from the node.
    func removePod() async {
        let runtime = await inspect()
        for c in runtime.containers {
            _ = try? await ctx.cri.runtime.removeContainer(.with { $0.containerID = c.id })
            ctx.store.removeProbes(containerID: c.id)
        }
        for s in runtime.sandboxes {
            _ = try? await ctx.cri.runtime.stopPodSandbox(.with { $0.podSandboxID = s.id })
            _ = try? await ctx.cri.runtime.removePodSandbox(.with { $0.podSandboxID = s.id })
        }
        if await ctx.csi.tearDown(podUID: uid) {
            if !ctx.volumes.tearDown(podUID: uid) {
                ctx.logger.warning("pod directory kept: something is still mounted in it", metadata: ["pod": "\(uid)"])
            }
        }
        CgroupCleaner.removePodCgroups(root: ctx.config.cgroupRoot, uid: uid)
        ctx.store.setRuntime(uid, RuntimePodState())
    }

    /// Graceful deletion: preStop and stop within the grace period, free everything, report the
    /// final status, then confirm the deletion to the API server.
    func terminate(_ podJSON: JSON, _ pod: PodSpecView) async {
        stopProbers()
        let grace = podJSON[path: ["metadata", "deletionGracePeriodSeconds"]]?.int ?? pod.terminationGracePeriodSeconds
        await killAll(grace: grace, reason: nil, pod: pod)
        let runtime = await inspect()
        await writeStatus(podJSON, pod, runtime, terminal: true)
        await removePod()
        let options: JSON = .object(JSONObject([
            ("kind", "DeleteOptions"), ("apiVersion", "v1"), ("gracePeriodSeconds", 0),
            ("preconditions", .object(JSONObject([("uid", .string(uid))]))),
        ]))
        do {
            _ = try await ctx.client.delete("/api/v1/namespaces/\(pod.namespace)/pods/\(pod.name)", options: options)
        } catch let e as KubeClientError where e.isNotFound || e.isConflict {
            // Already gone, or replaced by a pod of the same name.
        } catch {
            ctx.logger.warning("pod deletion not confirmed", metadata: ["pod": "\(pod.formatted)", "error": "\(error)"])
            poke(after: .seconds(2))
            return
        }
        ctx.store.confirmDeletion(uid)
        finish()
    }
}
