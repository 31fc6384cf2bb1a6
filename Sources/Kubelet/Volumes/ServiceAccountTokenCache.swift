import Foundation
import KubeAPI

/// The service-account tokens a pod's projected volumes hold, by audience and lifetime, and when
/// each must be fetched again: after 80 % of its life or 24 hours, as the kubelet's token manager
/// does. Pure; the worker fetches and writes.
public struct ServiceAccountTokenCache: Sendable {
    public struct Token: Sendable, Equatable {
        public var value: String
        public var issued: Date
        public var expires: Date

        public init(value: String, issued: Date, expires: Date) {
            self.value = value
            self.issued = issued
            self.expires = expires
        }

        public var refreshAt: Date {
            let life = expires.timeIntervalSince(issued)
            return issued.addingTimeInterval(min(life * 0.8, 24 * 3600))
        }
    }

    /// One `serviceAccountToken` projection: what to ask for.
    public struct Request: Sendable, Hashable {
        public var audience: String
        public var expirationSeconds: Int64

        public init(audience: String, expirationSeconds: Int64) {
            self.audience = audience
            self.expirationSeconds = expirationSeconds
        }

        public var key: String { "\(audience)|\(expirationSeconds)" }
    }

    public private(set) var tokens: [String: Token] = [:]

    public init() {}

    /// The projections a pod's volumes ask for.
    public static func requests(_ pod: PodSpecView) -> [Request] {
        var out: [Request] = []
        for v in pod.volumes {
            guard case .projected(let json) = v.source else { continue }
            for s in json["sources"]?.array ?? [] {
                guard let t = s["serviceAccountToken"] else { continue }
                let r = Request(audience: t["audience"]?.string ?? "", expirationSeconds: t["expirationSeconds"]?.int ?? 3600)
                if !out.contains(r) { out.append(r) }
            }
        }
        return out
    }

    /// The requests whose token is missing or due for refresh at `now`.
    public func due(_ requests: [Request], now: Date) -> [Request] {
        requests.filter { r in tokens[r.key].map { $0.refreshAt <= now } ?? true }
    }

    public mutating func store(_ r: Request, _ token: Token) { tokens[r.key] = token }

    /// When the next refresh falls due, for scheduling a resync.
    public func nextRefresh(_ requests: [Request]) -> Date? {
        requests.compactMap { tokens[$0.key]?.refreshAt }.min()
    }

    /// Token values by request key, for the volume files.
    public var values: [String: String] { tokens.mapValues(\.value) }
}
