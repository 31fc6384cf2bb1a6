import CRI
import Foundation
import GRPCCore
import KubeAPI
import KubeClient
import Logging

/// One pod's worker: syncs are serial for the pod and parallel across pods (podWorkers upstream).
/// A poke while a sync runs makes exactly one more sync afterwards. The worker keeps what only
/// this pod's syncs need: backoffs, the reasons containers failed to start, the status last
/// written, and its probers.
actor PodWorker {
    let uid: String
    let ctx: KubeletContext
    private let onFinished: @Sendable (String) -> Void

    private var pending = false
    private var running = false
    private var resyncAt: Date?
    private(set) var finished = false

    var backoff = Backoff()
    var puller = ImagePuller()
    var startFailures: [String: ContainerStartFailure] = [:]
    var lastStatus: JSON?
    var admitted = false
    var probers: [String: Task<Void, Never>] = [:]
    /// The ConfigMaps and Secrets the pod refers to, fetched once per sync so that its volumes
    /// and environment see the same versions.
    var objects: (configMaps: [String: JSON], secrets: [String: JSON]) = ([:], [:])
    /// Service-account tokens for the pod's projected volumes.
    var tokens = ServiceAccountTokenCache()
    /// Containers this worker is stopping, so a probe or relist does not start a second stop.
    var stopping = Set<String>()

    init(uid: String, ctx: KubeletContext, onFinished: @escaping @Sendable (String) -> Void) {
        self.uid = uid
        self.ctx = ctx
        self.onFinished = onFinished
    }

    /// Asks for a sync soon.
    func poke() {
        guard !finished else { return }
        pending = true
        guard !running else { return }
        running = true
        Task { await loop() }
    }

    /// Asks for a sync after `delay`, unless one is already due earlier.
    func poke(after delay: Duration) {
        let at = Date().addingTimeInterval(delay.seconds)
        if let resyncAt, resyncAt <= at, resyncAt > Date() { return }
        resyncAt = at
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.firedResync(at)
        }
    }

    private func firedResync(_ at: Date) {
        guard resyncAt == at else { return }
        resyncAt = nil
        poke()
    }

    private func loop() async {
        while pending && !finished {
            pending = false
            await sync()
        }
        running = false
    }

    private func sync() async {
        guard let podJSON = ctx.store.pod(uid) else {
            // Gone from the API server (force-deleted): stop everything, report nothing.
            await killAll(grace: 2, reason: nil)
            await removePod()
            finish()
            return
        }
        let pod = PodSpecView(pod: podJSON)
        if pod.isDeleted {
            await terminate(podJSON, pod)
            return
        }
        var runtime = await inspect()
        let phase = (lastStatus ?? podJSON["status"])?["phase"]?.string
        if phase == "Succeeded" || phase == "Failed" {
            // Finished pods keep their containers for logs but run none of them.
            if runtime.containers.contains(where: { $0.state == .running }) || runtime.sandboxes.contains(where: { $0.state == .ready }) {
                await killAll(grace: pod.terminationGracePeriodSeconds, reason: nil, pod: pod)
                runtime = await inspect()
            }
            stopProbers()
            await writeStatus(podJSON, pod, runtime, terminal: true)
            return
        }
        if lastStatus == nil { adoptProbeResults(podJSON, runtime) }
        if !admitted {
            if runtime.sandboxes.isEmpty, phase == nil || phase == "Pending", let rejection = admissionRejection(pod, podJSON) {
                await reject(podJSON, pod, rejection)
                return
            }
            admitted = true
        }

        objects = await fetchReferencedObjects(pod)
        await refreshTokens(pod)
        let volumePaths: [String: String]
        do {
            volumePaths = try await setUpVolumes(pod)
        } catch {
            ctx.events.emit(KubeletEvent(.warning, "FailedMount", error.message), pod: pod)
            await writeStatus(podJSON, pod, runtime, terminal: false)
            poke(after: .seconds(2))
            return
        }

        // A new pod shows ContainerCreating (or Init:0/N) while its images are pulled.
        if lastStatus == nil { await writeStatus(podJSON, pod, runtime, terminal: false) }
        let now = Date()
        let plan = computePodActions(pod: pod, runtime: runtime, probes: ctx.store.probes, backoff: &backoff, now: now)
        let terminal = plan.killPod && plan.createSandbox == nil
        if plan.killPod {
            if plan.createSandbox != nil, plan.sandboxID != nil { ctx.events.emit(.sandboxChanged, pod: pod) }
            await killAll(grace: pod.terminationGracePeriodSeconds, reason: nil, pod: pod, keepContainers: true)
        }
        for kill in plan.containersToKill {
            guard let spec = pod.container(named: kill.name) else { continue }
            ctx.events.emit(.killing(spec, message: kill.message), pod: pod)
            let grace = killGrace(spec, kill.reason, pod)
            await stopContainer(kill.containerID, grace: grace)
        }

        var sandboxID = plan.sandboxID
        let sandboxConfig = ctx.sandboxBuilder(for: pod).build(pod, spec: podJSON["spec"] ?? [:], attempt: plan.sandboxAttempt)
        let clock = ContinuousClock(), began = clock.now
        if plan.createSandbox != nil {
            do {
                try FileManager.default.createDirectory(atPath: sandboxConfig.logDirectory, withIntermediateDirectories: true)
                sandboxID = try await ctx.cri.runtime.runPodSandbox(.with { $0.config = sandboxConfig },
                                                                    options: CRIRuntimeClient.options()).podSandboxID
            } catch {
                let message = Self.rpcMessage(error)
                ctx.events.emit(.failedCreatePodSandbox(error: message), pod: pod)
                for c in pod.initContainers + pod.containers {
                    startFailures[c.name] = ContainerStartFailure(.createPodSandboxError, "Failed to create pod sandbox: \(message)")
                }
                await writeStatus(podJSON, pod, await inspect(), terminal: false)
                poke(after: .seconds(5))
                return
            }
            runtime = await inspect()
            ctx.logger.debug("sandbox ready", metadata: ["pod": "\(pod.formatted)", "took": "\(clock.now - began)"])
        }

        for wait in plan.backingOff {
            guard let spec = pod.container(named: wait.name) else { continue }
            startFailures[wait.name] = ContainerStartFailure(.crashLoopBackOff, wait.message)
            ctx.events.emit(.backOffRestart(spec, pod: pod), pod: pod)
            poke(after: wait.remaining + .milliseconds(100))
        }
        if let sandboxID {
            for name in plan.initContainersToStart + plan.containersToStart {
                let ok = await startContainer(name, pod: pod, podJSON: podJSON, sandboxID: sandboxID, sandboxConfig: sandboxConfig,
                                              runtime: runtime, volumePaths: volumePaths)
                // Init containers run one at a time, in order.
                if !ok && plan.initContainersToStart.contains(name) { break }
            }
        }
        runtime = await inspect()
        if !(plan.initContainersToStart + plan.containersToStart).isEmpty {
            ctx.logger.debug("containers started", metadata: ["pod": "\(pod.formatted)", "took": "\(clock.now - began)"])
        }
        await writeStatus(podJSON, pod, runtime, terminal: terminal)
        if terminal { stopProbers() } else { ensureProbers(pod) }
        poke(after: ctx.config.syncFrequency)
    }

    /// After a kubelet restart, a container that is still the one the last status described keeps
    /// its readiness and startup verdicts until its probes run again, so a restart does not flap
    /// Ready pods to not-ready.
    private func adoptProbeResults(_ podJSON: JSON, _ runtime: RuntimePodState) {
        let statuses = (podJSON[path: ["status", "containerStatuses"]]?.array ?? [])
            + (podJSON[path: ["status", "initContainerStatuses"]]?.array ?? [])
        for s in statuses {
            guard let name = s["name"]?.string, let shown = s["containerID"]?.string,
                  let live = runtime.latest(name), live.state == .running, live.containerID == shown else { continue }
            if ctx.store.probes[.readiness, live.id] == nil, s["ready"]?.bool == true {
                _ = ctx.store.setProbe(.readiness, live.id, .success)
            }
            if ctx.store.probes[.startup, live.id] == nil, s["started"]?.bool == true {
                _ = ctx.store.setProbe(.startup, live.id, .success)
            }
        }
    }

    /// The freshest view of this pod in the runtime, kept in the store for the probers.
    func inspect() async -> RuntimePodState {
        guard let state = try? await ctx.observer.inspect(podUID: uid) else { return ctx.store.runtime(uid) }
        ctx.store.setRuntime(uid, state)
        return state
    }

    /// A probe-triggered kill uses the probe's own grace period when it has one.
    private func killGrace(_ spec: ContainerSpec, _ reason: PodActions.KillReason, _ pod: PodSpecView) -> Int64 {
        let probe: ProbeSpec? = switch reason {
        case .livenessProbe: spec.livenessProbe
        case .startupProbe: spec.startupProbe
        default: nil
        }
        return probe?.terminationGracePeriodSeconds ?? pod.terminationGracePeriodSeconds
    }

    private func setUpVolumes(_ pod: PodSpecView) async throws(VolumeError) -> [String: String] {
        var paths = try ctx.volumes.setUp(pod, configMaps: objects.configMaps, secrets: objects.secrets, tokens: tokens.values)
        for (name, path) in try await ctx.csi.setUp(pod) { paths[name] = path }
        return paths
    }

    /// Fetches the tokens that are missing or due (TokenRequest bound to this pod), and asks for
    /// a resync when the next one falls due.
    func refreshTokens(_ pod: PodSpecView) async {
        let requests = ServiceAccountTokenCache.requests(pod)
        guard !requests.isEmpty else { return }
        for r in tokens.due(requests, now: Date()) {
            do {
                tokens.store(r, try await ctx.requestToken(pod, r))
            } catch {
                ctx.logger.warning("service account token request failed", metadata: ["pod": "\(pod.namespace)/\(pod.name)", "error": "\(error)"])
            }
        }
        if let next = tokens.nextRefresh(requests) {
            poke(after: .seconds(max(1, next.timeIntervalSinceNow)))
        }
    }

    /// Every ConfigMap and Secret named by the pod's volumes, env and envFrom.
    private func fetchReferencedObjects(_ pod: PodSpecView) async -> (configMaps: [String: JSON], secrets: [String: JSON]) {
        var configMapNames = Set<String>(), secretNames = Set<String>()
        for v in pod.volumes {
            let refs = VolumeFiles.references(v.source)
            configMapNames.formUnion(refs.configMaps)
            secretNames.formUnion(refs.secrets)
        }
        for c in pod.initContainers + pod.containers {
            for v in c.env {
                switch v.source {
                case .configMapKeyRef(let n, _, _): configMapNames.insert(n)
                case .secretKeyRef(let n, _, _): secretNames.insert(n)
                default: break
                }
            }
            for f in c.envFrom {
                if f.kind == .configMap { configMapNames.insert(f.name) } else { secretNames.insert(f.name) }
            }
        }
        return (await ctx.fetch("configmaps", namespace: pod.namespace, names: configMapNames),
                await ctx.fetch("secrets", namespace: pod.namespace, names: secretNames))
    }

    func finish() {
        finished = true
        stopProbers()
        ctx.events.forget(podUID: uid)
        onFinished(uid)
    }

    static func rpcMessage(_ error: any Error) -> String {
        guard let e = error as? RPCError else { return "\(error)" }
        let code = String(describing: e.code)
        return "rpc error: code = \(code.prefix(1).uppercased() + code.dropFirst()) desc = \(e.message)"
    }
}
