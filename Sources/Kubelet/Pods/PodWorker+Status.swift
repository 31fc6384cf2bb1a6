import Foundation
import KubeAPI
import KubeClient

extension PodWorker {
    /// Builds the status from what is true now and writes it through pods/status when it
    /// differs from what this worker wrote last.
    func writeStatus(_ podJSON: JSON, _ pod: PodSpecView, _ runtime: RuntimePodState, terminal: Bool) async {
        let old = lastStatus ?? podJSON["status"] ?? [:]
        let status = PodStatusBuilder(pod: pod, runtime: runtime, startFailures: startFailures, probes: ctx.store.probes,
                                      oldStatus: old, hostIPs: [ctx.config.nodeIP], podIsTerminal: terminal).build(now: Date())
        guard status != lastStatus else { return }
        await patchStatus(pod, status, old: old)
    }

    /// Fails a pod the node cannot take.
    func reject(_ podJSON: JSON, _ pod: PodSpecView, _ rejection: ResourceAdmission.Rejection) async {
        ctx.events.emit(KubeletEvent(.warning, rejection.reason, rejection.message), pod: pod)
        var status = (podJSON["status"] ?? [:]).object ?? JSONObject()
        status["phase"] = "Failed"
        status["reason"] = .string(rejection.reason)
        status["message"] = .string(rejection.message)
        status["startTime"] = status["startTime"] ?? Timestamp.json(Date())
        status["qosClass"] = .string(pod.qosClass.rawValue)
        await patchStatus(pod, .object(status), old: podJSON["status"] ?? [:])
    }

    func admissionRejection(_ pod: PodSpecView, _ podJSON: JSON) -> ResourceAdmission.Rejection? {
        let others = ctx.store.pods.filter { uid, p in
            guard uid != pod.uid else { return false }
            let phase = p[path: ["status", "phase"]]?.string
            return phase != "Succeeded" && phase != "Failed"
        }.values.map { PodSpecView(pod: $0) }
        return ResourceAdmission(allocatable: ctx.machine.allocatable).check(pod, others: others)
    }

    private func patchStatus(_ pod: PodSpecView, _ status: JSON, old: JSON) async {
        var body = status.object ?? JSONObject()
        // A merge patch keeps what it does not mention: clear what the new status dropped.
        for (key, _) in old.object ?? JSONObject() where body[key] == nil { body[key] = .null }
        let patch: JSON = .object(JSONObject([("status", .object(body))]))
        do {
            _ = try await ctx.client.patch("/api/v1/namespaces/\(pod.namespace)/pods/\(pod.name)/status", patch, type: .merge)
            lastStatus = status
        } catch let e as KubeClientError where e.isNotFound {
            lastStatus = status
        } catch {
            ctx.logger.warning("pod status not written", metadata: ["pod": "\(pod.formatted)", "error": "\(error)"])
            poke(after: .seconds(1))
        }
    }
}
