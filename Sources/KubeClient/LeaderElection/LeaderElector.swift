import Foundation
import KubeAPI
import Logging

/// Where and how a component elects its leader; the defaults are kube-scheduler's and
/// kube-controller-manager's (lease 15 s, renew deadline 10 s, retry every 2 s).
public struct LeaderElectionConfiguration: Sendable {
    public var namespace: String
    public var name: String
    public var identity: String
    public var leaseDuration: Duration
    public var renewDeadline: Duration
    public var retryPeriod: Duration

    public init(name: String, identity: String, namespace: String = "kube-system", leaseDuration: Duration = .seconds(15),
                renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }
}

/// Runs work only while this process holds a coordination.k8s.io/v1 Lease, so a component runs
/// once across several API servers and moves to another when its leader dies.
public actor LeaderElector {
    let client: KubeClient
    let configuration: LeaderElectionConfiguration
    let logger: Logger
    private var logic: LeaderElectionLogic
    private let origin = ContinuousClock.now

    public init(client: KubeClient, configuration: LeaderElectionConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        logic = LeaderElectionLogic(identity: configuration.identity, leaseDuration: configuration.leaseDuration)
    }

    var path: String { "/apis/coordination.k8s.io/v1/namespaces/\(configuration.namespace)/leases/\(configuration.name)" }

    /// Campaigns, runs `work` while leading (cancelling it when the lease is lost), campaigns
    /// again; returns when cancelled, giving the lease up.
    public func run(whileLeading work: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            while !Task.isCancelled, !(await tryAcquireOrRenew()) {
                try? await Task.sleep(for: jittered(configuration.retryPeriod))
            }
            if Task.isCancelled { break }
            logger.notice("became leader", metadata: ["lease": "\(configuration.namespace)/\(configuration.name)",
                                                      "identity": "\(configuration.identity)"])
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await work() }
                group.addTask { await self.keepRenewing() }
                _ = await group.next()
                group.cancelAll()
            }
            if !Task.isCancelled {
                logger.warning("lost leadership", metadata: ["lease": "\(configuration.namespace)/\(configuration.name)"])
            }
        }
        // Not as a child of the cancelled task: its requests would fail at once.
        await Task { await self.release() }.value
    }

    /// Returns when the lease could not be renewed for the renew deadline, or when cancelled.
    private func keepRenewing() async {
        var lastRenewal = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.retryPeriod)
            if Task.isCancelled { return }
            if await tryAcquireOrRenew() {
                lastRenewal = .now
            } else if ContinuousClock.now - lastRenewal >= configuration.renewDeadline {
                return
            }
        }
    }

    private var now: Duration { ContinuousClock.now - origin }

    /// One round: read the Lease, decide, write. True when this process holds the lease after it.
    func tryAcquireOrRenew() async -> Bool {
        var existing: JSON?
        do {
            existing = try await client.get(path)
            logic.observe(LeaseRecord(spec: existing?["spec"]), now: now)
        } catch let error as KubeClientError where error.isNotFound {
            logic.observe(nil, now: now)
        } catch {
            logger.debug("lease not read", metadata: ["error": "\(error)"])
            return false
        }
        switch logic.decide(now: now, wallClock: Date()) {
        case .wait:
            return false
        case .create(let record):
            return await write(record, over: nil)
        case .update(let record):
            return await write(record, over: existing)
        }
    }

    /// Creates or replaces the Lease (the replace carries the read resourceVersion, so two
    /// candidates cannot both win).
    private func write(_ record: LeaseRecord, over existing: JSON?) async -> Bool {
        do {
            let written: JSON
            if var lease = existing {
                lease["spec"] = record.spec
                written = try await client.update(path, lease)
            } else {
                let lease: JSON = .object(JSONObject([
                    ("apiVersion", "coordination.k8s.io/v1"), ("kind", "Lease"),
                    ("metadata", .object(JSONObject([("name", .string(configuration.name)),
                                                     ("namespace", .string(configuration.namespace))]))),
                    ("spec", record.spec)]))
                written = try await client.create(
                    "/apis/coordination.k8s.io/v1/namespaces/\(configuration.namespace)/leases", lease)
            }
            logic.observe(LeaseRecord(spec: written["spec"]), now: now)
            return true
        } catch {
            logger.debug("lease not written", metadata: ["error": "\(error)"])
            return false
        }
    }

    private func release() async {
        guard let record = logic.release(wallClock: Date()), var lease = try? await client.get(path),
              LeaseRecord(spec: lease["spec"]).holderIdentity == configuration.identity else { return }
        lease["spec"] = record.spec
        _ = try? await client.update(path, lease)
    }

    private func jittered(_ period: Duration) -> Duration {
        period + period * Double.random(in: 0..<0.2)
    }
}
