import Foundation
import KubeAPI

/// The leader-election fields of a coordination.k8s.io/v1 Lease's spec.
public struct LeaseRecord: Sendable, Equatable {
    public var holderIdentity: String
    public var leaseDurationSeconds: Int64
    public var acquireTime: Date?
    public var renewTime: Date?
    public var leaseTransitions: Int64

    public init(holderIdentity: String, leaseDurationSeconds: Int64, acquireTime: Date?, renewTime: Date?,
                leaseTransitions: Int64) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    public init(spec: JSON?) {
        holderIdentity = spec?.string("holderIdentity") ?? ""
        leaseDurationSeconds = spec?.int("leaseDurationSeconds") ?? 0
        acquireTime = Timestamp.parse(spec?.string("acquireTime"))
        renewTime = Timestamp.parse(spec?.string("renewTime"))
        leaseTransitions = spec?.int("leaseTransitions") ?? 0
    }

    public var spec: JSON {
        var fields: [(String, JSON)] = [("holderIdentity", .string(holderIdentity)),
                                        ("leaseDurationSeconds", .int(leaseDurationSeconds))]
        if let acquireTime { fields.append(("acquireTime", .string(Self.microTime(acquireTime)))) }
        if let renewTime { fields.append(("renewTime", .string(Self.microTime(renewTime)))) }
        fields.append(("leaseTransitions", .int(leaseTransitions)))
        return .object(JSONObject(fields))
    }

    /// metav1.MicroTime: RFC 3339 with microseconds, as a Lease's times are written.
    static func microTime(_ date: Date) -> String {
        let base = Timestamp.string(date).dropLast()
        let micros = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
        return "\(base).\(String(format: "%06d", micros))Z"
    }
}
