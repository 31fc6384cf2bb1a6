import GRPCCore

/// What a simulated runtime call can fail with, mapped to the gRPC codes real runtimes use.
public enum SimulatedError: Error, Equatable {
    case notFound(String)
    case invalidArgument(String)
    case failedPrecondition(String)
    case exhausted(String)

    var rpcError: RPCError {
        switch self {
        case .notFound(let m): RPCError(code: .notFound, message: m)
        case .invalidArgument(let m): RPCError(code: .invalidArgument, message: m)
        case .failedPrecondition(let m): RPCError(code: .failedPrecondition, message: m)
        case .exhausted(let m): RPCError(code: .resourceExhausted, message: m)
        }
    }
}
