import GRPCCore

/// The etcd failures the backend tells apart; etcd reports them as gRPC status messages.
enum EtcdError {
    case compacted
    case futureRevision
    case other

    init(_ error: RPCError) {
        if error.message.contains("required revision has been compacted") {
            self = .compacted
        } else if error.message.contains("required revision is a future revision") {
            self = .futureRevision
        } else {
            self = .other
        }
    }
}
