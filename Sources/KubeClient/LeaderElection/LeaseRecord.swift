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
        if let acquireTime { fields.append(("acquireTime", .string(Timestamp.micro(acquireTime)))) }
        if let renewTime { fields.append(("renewTime", .string(Timestamp.micro(renewTime)))) }
        fields.append(("leaseTransitions", .int(leaseTransitions)))
        return .object(JSONObject(fields))
    }

}
