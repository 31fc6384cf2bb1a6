import Foundation
import KubeAPI
import KubeClient
import Logging

/// Carries out `PodRoutePlan` on this node's network stack with iproute2: a route to each other
/// node's pod range through its address, tagged with our own routing protocol number so that
/// only routes we placed are ever changed or removed. Reconciles on every change of the wanted
/// set and once a minute (a route removed by hand comes back).
struct NodeRoutes: Sendable {
    let config: KubeletConfiguration
    let client: KubeClient
    let logger: Logger
    /// rtnetlink protocol of our routes (unassigned in iproute2's rt_protos).
    static let routeProtocol = "83"
    static let ipTool = "/usr/sbin/ip"

    func run() async {
        guard FileManager.default.isExecutableFile(atPath: Self.ipTool) else {
            logger.notice("no iproute2: routes to other nodes' pods are not managed")
            return
        }
        let state = RouteState()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Each node's route, kept per node so an event costs one node's work, not the cluster's.
                var routes: [String: PodRoute] = [:]
                func route(_ n: JSON) -> PodRoute? { PodRoutePlan.route(to: n, selfName: config.nodeName, selfIP: config.nodeIP) }
                func name(_ n: JSON) -> String { n[path: ["metadata", "name"]]?.string ?? "" }
                var first = true
                for await event in Reflector(client: client, path: "/api/v1/nodes").events() {
                    var changed = first
                    switch event {
                    case .replaced(let items):
                        let before = routes
                        routes = [:]
                        for n in items { routes[name(n)] = route(n) }
                        changed = changed || routes != before
                    case .added(let n), .modified(let n):
                        let r = route(n)
                        // Status writes (every node, every 10 s) leave its route as it is: nothing to do.
                        if routes[name(n)] != r { routes[name(n)] = r; changed = true }
                    case .deleted(let n):
                        changed = changed || routes.removeValue(forKey: name(n)) != nil
                    }
                    guard changed else { continue }
                    first = false
                    if await state.want(Set(routes.values)) { await reconcile(state) }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(60))
                    await reconcile(state)
                }
            }
        }
    }

    private func reconcile(_ state: RouteState) async {
        guard let wanted = await state.wanted else { return }
        guard let current = Self.currentRoutes() else {
            logger.warning("routes not readable: `ip route show proto \(Self.routeProtocol)` failed")
            return
        }
        let (replace, remove) = PodRoutePlan.changes(current: current, desired: wanted)
        for route in replace {
            let result = Self.ip(["route", "replace", route.destination, "via", route.gateway, "proto", Self.routeProtocol])
            if result.status == 0 {
                logger.info("route to a node's pods", metadata: ["route": "\(route)"])
            } else if await state.firstFailure(route) {
                // Usually a gateway that is not on a directly connected network.
                logger.warning("route to a node's pods not placed", metadata: ["route": "\(route)", "error": "\(result.output)"])
            }
        }
        for route in remove {
            if Self.ip(["route", "del", route.destination, "proto", Self.routeProtocol]).status == 0 {
                logger.info("route to a departed node's pods removed", metadata: ["route": "\(route)"])
            }
        }
    }

    /// Our routes in place now, nil when iproute2 fails.
    static func currentRoutes() -> Set<PodRoute>? {
        let result = ip(["-j", "route", "show", "proto", routeProtocol])
        guard result.status == 0 else { return nil }
        guard let parsed = try? JSONParser.parse(result.output), let list = parsed.array else { return [] }
        return Set(list.compactMap { entry in
            guard var dst = entry["dst"]?.string, let gateway = entry["gateway"]?.string else { return nil }
            if !dst.contains("/") { dst += "/32" }
            return PodRoute(destination: dst, gateway: gateway)
        })
    }

    static func ip(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ipTool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// What the route loop last wanted, and which failures it has already reported.
private actor RouteState {
    private(set) var wanted: Set<PodRoute>?
    private var reported: Set<PodRoute> = []

    /// Records the wanted set; true when it changed.
    func want(_ routes: Set<PodRoute>) -> Bool {
        guard routes != wanted else { return false }
        wanted = routes
        return true
    }

    func firstFailure(_ route: PodRoute) -> Bool { reported.insert(route).inserted }
}
