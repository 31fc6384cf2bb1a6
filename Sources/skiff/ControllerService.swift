import Controllers
import ServiceLifecycle

/// The node lifecycle controller as a service of the all-in-one server.
struct ControllerService: Service {
    let controller: NodeLifecycleController

    func run() async throws {
        await cancelWhenGracefulShutdown { await controller.run() }
    }
}
