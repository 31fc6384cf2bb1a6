import Scheduler
import ServiceLifecycle

/// The scheduler as a service of the all-in-one server.
struct SchedulerService: Service {
    let scheduler: Scheduler

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await scheduler.run() }
        } catch is CancellationError {
            // Shut down with the rest of the server.
        }
    }
}
