import CRI
import Foundation
import KubeAPI
import KubeClient
import Logging
import Synchronization

/// Hands this node's pod range (`spec.podCIDRs`, given by the control plane's node IPAM) to the
/// runtime through CRI UpdateRuntimeConfig whenever it changes, as the kubelet does; the
/// runtime's network then gives pods addresses from it.
final class PodCIDRSync: Sendable {
    let config: KubeletConfiguration
    let client: KubeClient
    let cri: CRIRuntimeClient
    let logger: Logger
    private let applied = Atomic<Bool>(false)

    init(config: KubeletConfiguration, client: KubeClient, cri: CRIRuntimeClient, logger: Logger) {
        self.config = config
        self.client = client
        self.cri = cri
        self.logger = logger
    }

    /// The node's pod ranges, comma-separated as the kubelet passes them to CRI; "" when none.
    static func podCIDRs(of node: JSON) -> String {
        NodePodRanges.of(node).joined(separator: ",")
    }

    func run() async {
        var current = ""
        let reflector = Reflector(client: client, path: "/api/v1/nodes", fieldSelector: "metadata.name=\(config.nodeName)")
        for await event in reflector.events() {
            let node: JSON?
            switch event {
            case .replaced(let items): node = items.first
            case .added(let n), .modified(let n): node = n
            case .deleted: node = nil
            }
            guard let node else { continue }
            let cidrs = Self.podCIDRs(of: node)
            guard !cidrs.isEmpty, cidrs != current else { continue }
            if await hand(cidrs) { current = cidrs }
        }
    }

    /// Waits until the runtime has the node's range, at most `timeout` (a control plane that
    /// gives no ranges leaves the runtime on its own network). True when it has it.
    func waitUntilApplied(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !applied.load(ordering: .acquiring) {
            guard ContinuousClock.now < deadline, !Task.isCancelled else {
                logger.notice("no pod range from the control plane yet; pods use the runtime's own network until one comes",
                              metadata: ["waited": "\(timeout)"])
                return false
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    private func hand(_ cidrs: String) async -> Bool {
        // The runtime may still be starting beside us: a few quick tries, then the next node event.
        for attempt in 0..<10 {
            do {
                _ = try await cri.runtime.updateRuntimeConfig(.with { $0.runtimeConfig.networkConfig.podCidr = cidrs },
                                                              options: CRIRuntimeClient.options(timeout: .seconds(10)))
                logger.info("pod range handed to the runtime", metadata: ["podCIDR": "\(cidrs)"])
                applied.store(true, ordering: .releasing)
                return true
            } catch {
                if attempt == 9 { logger.warning("pod range not handed to the runtime", metadata: ["error": "\(error)"]) }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        return false
    }
}
