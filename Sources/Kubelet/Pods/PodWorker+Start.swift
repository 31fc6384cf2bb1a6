import CRI
import Foundation
import KubeAPI

extension PodWorker {
    /// Starts one container: image, environment, mounts, create, start, postStart. A failure is
    /// kept as the container's waiting reason and told by an event; answers whether it started.
    func startContainer(_ name: String, pod: PodSpecView, podJSON: JSON, sandboxID: String,
                        sandboxConfig: Runtime_V1_PodSandboxConfig, runtime: RuntimePodState,
                        volumePaths: [String: String]) async -> Bool {
        guard let spec = pod.container(named: name) else { return false }
        let restartCount = runtime.latest(name).map { $0.attempt + 1 } ?? 0

        // The image.
        let present = try? await ctx.cri.images.imageStatus(.with { $0.image = .with { $0.image = spec.image } })
        let havePresent = present?.hasImage == true
        let (decision, events) = puller.decide(spec, pod: pod, imagePresent: havePresent, now: Date())
        for e in events { ctx.events.emit(e, pod: pod) }
        var imageRef = havePresent ? present!.image.id : spec.image
        switch decision {
        case .fail(let failure):
            startFailures[name] = failure
            if failure.reason == .imagePullBackOff,
               let left = puller.backoff.remainingSinceUpdate(.image(podUID: pod.uid, image: spec.image), now: Date()) {
                poke(after: left + .milliseconds(100))
            }
            return false
        case .pull:
            let started = ContinuousClock.now
            do {
                let auth = await pullAuth(podJSON, image: spec.image)
                let reply = try await ctx.cri.images.pullImage(.with {
                    $0.image = .with { $0.image = spec.image }
                    if let auth { $0.auth = auth }
                    $0.sandboxConfig = sandboxConfig
                }, options: CRIRuntimeClient.options())
                imageRef = reply.imageRef
                let elapsed = ContinuousClock.now - started
                let size = (try? await ctx.cri.images.imageStatus(.with { $0.image = .with { $0.image = reply.imageRef } }))?.image.size ?? 0
                ctx.events.emit(.pulled(spec, pull: elapsed, total: elapsed, imageSize: size), pod: pod)
            } catch {
                let (failure, events) = puller.pullFailed(spec, pod: pod, error: Self.rpcMessage(error), now: Date())
                for e in events { ctx.events.emit(e, pod: pod) }
                startFailures[name] = failure
                // The next sync shows ImagePullBackOff while the window lasts.
                poke(after: .seconds(1))
                return false
            }
        case .usePresent:
            break
        }

        // The environment, from the objects this sync fetched for the volumes too.
        let resolver = EnvResolver(
            pod: pod, configMaps: objects.configMaps, secrets: objects.secrets,
            podIPs: runtime.podIPs, hostIPs: [ctx.config.nodeIP], nodeAllocatable: ctx.machine.allocatable,
            serviceEnv: ctx.config.apiServerHost.flatMap { h in
                ctx.config.apiServerPort.map { EnvResolver.serviceVariables("kubernetes", host: h, port: $0) }
            } ?? [])
        let env: EnvResolver.Result
        do {
            env = try resolver.resolve(spec)
        } catch {
            startFailures[name] = error.startFailure
            ctx.events.emit(.failed(spec, error: error.message), pod: pod)
            poke(after: .seconds(3))
            return false
        }
        for warning in env.warnings { ctx.events.emit(.invalidEnvironmentVariableNames(spec, message: warning), pod: pod) }

        // Create and start.
        let config = ContainerConfigBuilder(pod: pod, spec: podJSON["spec"] ?? [:], memoryCapacity: ctx.machine.memoryBytes,
                                            seccompProfileRoot: ctx.config.rootDirectory + "/seccomp")
            .build(spec, restartCount: restartCount, imageRef: imageRef, env: env, mounts: mounts(spec, pod, volumePaths, runtime))
        let id: String
        do {
            id = try await ctx.cri.runtime.createContainer(.with {
                $0.podSandboxID = sandboxID
                $0.config = config
                $0.sandboxConfig = sandboxConfig
            }, options: CRIRuntimeClient.options()).containerID
        } catch {
            let message = Self.rpcMessage(error)
            startFailures[name] = ContainerStartFailure(.createContainerError, message)
            ctx.events.emit(.failed(spec, error: message), pod: pod)
            poke(after: .seconds(5))
            return false
        }
        ctx.events.emit(.created(spec), pod: pod)
        do {
            _ = try await ctx.cri.runtime.startContainer(.with { $0.containerID = id }, options: CRIRuntimeClient.options())
        } catch {
            let message = Self.rpcMessage(error)
            startFailures[name] = ContainerStartFailure(.runContainerError, message)
            ctx.events.emit(.failed(spec, error: message), pod: pod)
            return false
        }
        ctx.events.emit(.started(spec), pod: pod)
        startFailures[name] = nil

        if let hook = spec.postStart {
            let outcome = await ctx.handlers.run(hook, container: spec, containerID: id, podIP: runtime.podIPs.first,
                                                 timeout: .seconds(pod.terminationGracePeriodSeconds))
            if case .failure(let message) = outcome {
                ctx.events.emit(KubeletEvent(.warning, "FailedPostStartHook", "PostStartHook failed: \(message)", fieldPath: spec.fieldPath), pod: pod)
                await stopContainer(id, grace: pod.terminationGracePeriodSeconds)
                startFailures[name] = ContainerStartFailure(.postStartHookError, message)
                return false
            }
        }
        return true
    }

    /// The container's volume mounts as host paths, plus the kubelet-managed /etc/hosts.
    private func mounts(_ spec: ContainerSpec, _ pod: PodSpecView, _ volumePaths: [String: String],
                        _ runtime: RuntimePodState) -> [Runtime_V1_Mount] {
        var out: [Runtime_V1_Mount] = []
        for m in spec.volumeMounts {
            guard let host = volumePaths[m.name] else { continue }
            var path = host
            if let sub = m.subPath {
                path += "/" + sub
                try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
            let contentVolume = pod.volumes.first { $0.name == m.name }.map { v -> Bool in
                switch v.source {
                case .configMap, .secret, .downwardAPI, .projected: true
                default: false
                }
            } ?? false
            out.append(.with {
                $0.containerPath = m.mountPath
                $0.hostPath = path
                $0.readonly = m.readOnly || contentVolume
                $0.propagation = m.mountPropagation == "Bidirectional" ? .propagationBidirectional
                    : m.mountPropagation == "HostToContainer" ? .propagationHostToContainer : .propagationPrivate
            })
        }
        // The file the container may leave its termination message in, one per instance.
        if !spec.terminationMessagePath.isEmpty,
           let file = TerminationMessage.create(at: TerminationMessage.hostPath(
               podDirectory: ctx.volumes.podDirectory(pod.uid), container: spec.name)) {
            out.append(.with {
                $0.containerPath = spec.terminationMessagePath
                $0.hostPath = file
            })
        }
        if !pod.hostNetwork, !spec.volumeMounts.contains(where: { $0.mountPath == "/etc/hosts" }),
           let hosts = writeHostsFile(pod, podIPs: runtime.podIPs) {
            out.append(.with {
                $0.containerPath = "/etc/hosts"
                $0.hostPath = hosts
            })
        }
        return out
    }

    /// `<pod dir>/etc-hosts`: localhost and the pod's own name on its IP, as the kubelet writes it.
    private func writeHostsFile(_ pod: PodSpecView, podIPs: [String]) -> String? {
        let dir = ctx.volumes.podDirectory(pod.uid)
        let path = dir + "/etc-hosts"
        var text = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        text += "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
        for ip in podIPs { text += "\(ip)\t\(pod.name)\n" }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        } catch { return nil }
    }

    /// Credentials for the image's registry from the pod's imagePullSecrets (dockerconfigjson).
    private func pullAuth(_ podJSON: JSON, image: String) async -> Runtime_V1_AuthConfig? {
        let names = (podJSON[path: ["spec", "imagePullSecrets"]]?.array ?? []).compactMap { $0["name"]?.string }
        guard !names.isEmpty else { return nil }
        let namespace = podJSON[path: ["metadata", "namespace"]]?.string ?? "default"
        let secrets = await ctx.fetch("secrets", namespace: namespace, names: Set(names))
        for name in names {
            guard let secret = secrets[name], let entry = DockerConfig(secret: secret)?.credentials(for: image) else { continue }
            return .with {
                $0.username = entry.username
                $0.password = entry.password
                // No server address: containerd reads it as a URL and drops credentials that do not match.
            }
        }
        return nil
    }
}
