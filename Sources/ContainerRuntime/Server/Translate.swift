import CNI
import GRPCCore

/// Runs a CRI handler body, turning runtime failures into the gRPC statuses clients expect.
func translate<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as RuntimeError {
        throw error.rpcError
    } catch let error as CNIError {
        throw RPCError(code: .unknown, message: "network: \(error)")
    } catch let error as RPCError {
        throw error
    } catch {
        throw RPCError(code: .unknown, message: "\(error)")
    }
}

/// CRI label selectors: every pair must match.
func matches(_ labels: [String: String], selector: [String: String]) -> Bool {
    selector.allSatisfy { labels[$0.key] == $0.value }
}
