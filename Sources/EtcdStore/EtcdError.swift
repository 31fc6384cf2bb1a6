import GRPCCore

/// The etcd failures the backend tells apart; etcd reports them as gRPC status messages.
enum EtcdError {
    case compacted
    case futureRevision
    /// A put named a lease that etcd does not know (expired or revoked meanwhile).
    case leaseNotFound
    case other

    init(_ error: RPCError) {
        if error.message.contains("required revision has been compacted") {
            self = .compacted
        } else if error.message.contains("required revision is a future revision") {
            self = .futureRevision
        } else if error.message.contains("requested lease not found") {
            self = .leaseNotFound
        } else {
            self = .other
        }
    }
}
