import GRPCCore

/// Failures of the runtime, each mapped to the gRPC status a CRI client expects.
enum RuntimeError: Error, CustomStringConvertible {
    case notFound(String)
    case invalidArgument(String)
    case alreadyExists(String)
    case failedPrecondition(String)
    case unauthenticated(String)
    case unavailable(String)
    case deadlineExceeded(String)
    case resourceExhausted(String)
    case command(String)
    case io(String)

    var description: String {
        switch self {
        case .notFound(let m), .invalidArgument(let m), .alreadyExists(let m), .failedPrecondition(let m),
             .unauthenticated(let m), .unavailable(let m), .deadlineExceeded(let m), .resourceExhausted(let m), .command(let m), .io(let m): m
        }
    }

    var rpcError: RPCError {
        switch self {
        case .notFound(let m): RPCError(code: .notFound, message: m)
        case .invalidArgument(let m): RPCError(code: .invalidArgument, message: m)
        case .alreadyExists(let m): RPCError(code: .alreadyExists, message: m)
        case .failedPrecondition(let m): RPCError(code: .failedPrecondition, message: m)
        case .unauthenticated(let m): RPCError(code: .unauthenticated, message: m)
        case .unavailable(let m): RPCError(code: .unavailable, message: m)
        case .deadlineExceeded(let m): RPCError(code: .deadlineExceeded, message: m)
        case .resourceExhausted(let m): RPCError(code: .resourceExhausted, message: m)
        case .command(let m), .io(let m): RPCError(code: .unknown, message: m)
        }
    }
}
