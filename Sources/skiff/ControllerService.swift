import Controllers
import ServiceLifecycle

/// The controllers of the all-in-one server (node lifecycle, persistent volumes) as one service.
struct ControllerService: Service {
    let controllers: [@Sendable () async -> Void]

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for c in controllers { group.addTask { await c() } }
            }
        }
    }
}
