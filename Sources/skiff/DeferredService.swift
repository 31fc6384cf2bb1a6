import Logging
import ServiceLifecycle

/// A service built only when the group runs (e.g. once the API server listens), then run in place;
/// `cleanup` runs after it ends.
struct DeferredService: Service {
    let logger: Logger
    let make: @Sendable () async throws -> (any Service, @Sendable () async -> Void)

    init(logger: Logger, _ make: @escaping @Sendable () async throws -> (any Service, @Sendable () async -> Void)) {
        self.logger = logger
        self.make = make
    }

    func run() async throws {
        // Waiting to be built (e.g. for the API server) ends when the group shuts down.
        let (service, cleanup) = try await cancelWhenGracefulShutdown { try await make() }
        do {
            try await service.run()
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }
}
