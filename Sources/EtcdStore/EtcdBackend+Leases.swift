import GRPCCore
import Storage

extension EtcdBackend {
    /// Runs `write` with the lease a key living `ttl` joins (0, no lease, when `ttl` is nil). A
    /// lease etcd no longer knows is forgotten and the write retried once with a new one.
    func withLease<Result: Sendable>(_ ttl: Duration?, _ write: (Int64) async throws -> Result) async throws -> Result {
        guard let ttl else { return try await write(0) }
        let id = try await leases.lease(ttl: ttl)
        do {
            return try await write(id)
        } catch is LeaseNotFound {
            await leases.forget(id)
            do {
                return try await write(try await leases.lease(ttl: ttl))
            } catch is LeaseNotFound {
                throw StorageError.io("etcd: the lease granted for this write was gone at once")
            }
        }
    }

    static func grantLease(ttl: Int64, _ pool: EtcdClientPool) async throws -> Int64 {
        var request = Etcdserverpb_LeaseGrantRequest()
        request.ttl = ttl
        let response: Etcdserverpb_LeaseGrantResponse
        do {
            // A grant whose answer was lost leaves an unused lease behind, which simply expires.
            response = try await pool.call { member in try await member.lease.leaseGrant(request, options: pool.options) }
        } catch let error as RPCError {
            throw StorageError.io("etcd: lease grant: \(error.code): \(error.message)")
        }
        if !response.error.isEmpty { throw StorageError.io("etcd: lease grant: \(response.error)") }
        return response.id
    }

    /// How many leases this backend granted.
    var leaseGrants: Int {
        get async { await leases.grants }
    }
}

/// A put named a lease etcd does not know; nothing was written.
struct LeaseNotFound: Error {}
