import CRI
import Foundation
import KubeAPI
import KubeClient
import Logging

/// Keeps the node known to the control plane: registers the Node, renews its Lease in
/// kube-node-lease every 10 s, and writes node status every 10 s when it changed (every 5 min
/// regardless), with Ready following the runtime's health.
struct NodeAgent: Sendable {
    let config: KubeletConfiguration
    let client: KubeClient
    let cri: CRIRuntimeClient
    let machine: MachineInfo
    let logger: Logger

    private var nodePath: String { "/api/v1/nodes/\(config.nodeName)" }
    private var leasePath: String { "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/\(config.nodeName)" }

    func run() async {
        let builder = NodeStatusBuilder(config: config, machine: machine, runtimeVersion: await runtimeVersion())
        var previous: JSON?
        var lastReport = Date.distantPast
        while !Task.isCancelled {
            if previous == nil { previous = await register(builder) }
            if previous != nil {
                let now = Date()
                let status = builder.status(health: await health(), images: await images(), previous: previous, now: now)
                if NodeStatusBuilder.essence(status) != NodeStatusBuilder.essence(previous)
                    || now.timeIntervalSince(lastReport) >= config.nodeStatusReportFrequency.seconds {
                    do {
                        _ = try await client.patch(nodePath + "/status", .object(JSONObject([("status", status)])), type: .merge)
                        previous = status
                        lastReport = now
                    } catch let e as KubeClientError where e.isNotFound {
                        previous = nil
                    } catch {
                        logger.warning("node status not written", metadata: ["error": "\(error)"])
                    }
                }
            }
            try? await Task.sleep(for: config.nodeStatusUpdateFrequency)
        }
    }

    func runLease() async {
        while !Task.isCancelled {
            await renewLease()
            try? await Task.sleep(for: config.leaseRenewInterval)
        }
    }

    /// Creates the Node, or adopts the existing one; answers its status.
    private func register(_ builder: NodeStatusBuilder) async -> JSON? {
        let status = builder.status(health: await health(), images: await images(), previous: nil, now: Date())
        do {
            let created = try await client.create("/api/v1/nodes", builder.node(status: status))
            logger.info("node registered", metadata: ["node": "\(config.nodeName)"])
            return created["status"] ?? status
        } catch let e as KubeClientError where e.isAlreadyExists || e.isConflict {
            do {
                let updated = try await client.patch(nodePath + "/status", .object(JSONObject([("status", status)])), type: .merge)
                return updated["status"] ?? status
            } catch {
                logger.warning("node status not written", metadata: ["error": "\(error)"])
                return nil
            }
        } catch {
            logger.warning("node registration failed; retrying", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func renewLease() async {
        let now = Timestamp.micro(Date())
        let spec = JSONObject([("holderIdentity", .string(config.nodeName)),
                               ("leaseDurationSeconds", .int(Int64(config.leaseDuration))), ("renewTime", .string(now))])
        do {
            _ = try await client.patch(leasePath, .object(JSONObject([("spec", .object(spec))])), type: .merge)
        } catch let e as KubeClientError where e.isNotFound {
            var owner = JSONObject()
            if let node = try? await client.get(nodePath), let uid = node[path: ["metadata", "uid"]]?.string {
                owner = JSONObject([("apiVersion", "v1"), ("kind", "Node"), ("name", .string(config.nodeName)), ("uid", .string(uid))])
            }
            var meta = JSONObject([("name", .string(config.nodeName)), ("namespace", "kube-node-lease")])
            if !owner.isEmpty { meta["ownerReferences"] = .array([.object(owner)]) }
            let lease: JSON = .object(JSONObject([("apiVersion", "coordination.k8s.io/v1"), ("kind", "Lease"),
                                                  ("metadata", .object(meta)), ("spec", .object(spec))]))
            _ = try? await client.create("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease)
        } catch {
            logger.warning("lease not renewed", metadata: ["error": "\(error)"])
        }
    }

    private func runtimeVersion() async -> String {
        guard let v = try? await cri.runtime.version(.with { $0.version = "v1" }) else { return "unknown://unknown" }
        return "\(v.runtimeName)://\(v.runtimeVersion)"
    }

    private func health() async -> NodeStatusBuilder.RuntimeHealth {
        guard let status = try? await cri.runtime.status(.init(), options: CRIRuntimeClient.options(timeout: .seconds(5))) else {
            return .init(runtimeReady: false, networkReady: false, message: "the runtime does not answer at \(config.runtimeEndpoint)")
        }
        let conditions = status.status.conditions
        let runtime = conditions.first { $0.type == "RuntimeReady" }
        let network = conditions.first { $0.type == "NetworkReady" }
        return .init(runtimeReady: runtime?.status ?? false, networkReady: network?.status ?? false,
                     message: (runtime?.status == false ? runtime?.message : network?.message) ?? "")
    }

    private func images() async -> [JSON] {
        guard let list = try? await cri.images.listImages(.init()) else { return [] }
        return list.images.sorted { $0.size > $1.size }.prefix(50).map { image in
            .object(JSONObject([("names", .array((image.repoDigests + image.repoTags).map { .string($0) })),
                                ("sizeBytes", .int(Int64(image.size)))]))
        }
    }

}
