import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// One connection's way through the WebSocket handshake. The token is consumed and the
/// session prepared while the handshake is checked, so the session exists when the 101 is sent.
final class StreamUpgrade: Sendable {
    struct Refusal: Sendable, Equatable {
        var status: HTTPResponseStatus
        var message: String

        static let notFound = Refusal(status: .notFound, message: "404 page not found")

        /// A request that never reached the WebSocket upgrader.
        static func classify(_ head: HTTPRequestHead) -> Refusal {
            guard StreamRegistry.route(head.uri) != nil else { return .notFound }
            return Refusal(status: .badRequest, message: "streaming requires a WebSocket upgrade (SPDY is not supported)")
        }
    }

    private struct State: Sendable {
        var session: (any StreamSession)?
        var refusal: Refusal?
    }

    private let registry: StreamRegistry
    private let planner: StreamPlanner
    private let state = LockedValue(State())

    init(registry: StreamRegistry, planner: StreamPlanner) {
        self.registry = registry
        self.planner = planner
    }

    var refusal: Refusal? { state.get().refusal }

    func shouldUpgrade(channel: Channel, head: HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?> {
        guard let route = StreamRegistry.route(head.uri), let request = registry.cache.consume(route.token), request.kind == route.kind else {
            return refuse(.notFound, on: channel)
        }
        let offered = head.headers["Sec-WebSocket-Protocol"]
        guard let chosen = StreamProtocol.negotiate(offered: offered, supported: request.protocols) else {
            let supported = request.protocols.map(\.rawValue).filter { !$0.isEmpty }
            return refuse(Refusal(status: .forbidden, message: "requested protocol(s) are not supported: \(offered); supports \(supported)"), on: channel)
        }
        let planner = self.planner, state = self.state
        let queryPorts = StreamUpgrade.ports(inQuery: head.uri)
        let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
        promise.completeWithTask {
            let session = await planner.session(for: request, streamProtocol: chosen, queryPorts: queryPorts)
            state.withValue { $0.session = session }
            var headers = HTTPHeaders()
            if !chosen.rawValue.isEmpty { headers.add(name: "Sec-WebSocket-Protocol", value: chosen.rawValue) }
            return headers
        }
        return promise.futureResult
    }

    func upgradePipeline(channel: Channel, head: HTTPRequestHead) -> EventLoopFuture<Void> {
        guard let session = state.get().session else { return channel.close() }
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024, maxAccumulatedFrameSize: StreamUpgrade.maxMessageSize))
            try channel.pipeline.syncOperations.addHandler(StreamConnectionHandler(session: session))
        }
    }

    static let maxMessageSize = 1 << 20

    /// `?port=80&port=443,8080`, as the kubelet reads port forwarding's query.
    static func ports(inQuery uri: String) -> [Int32] {
        guard let items = URLComponents(string: uri)?.queryItems else { return [] }
        var ports: [Int32] = []
        for item in items where item.name == "port" {
            for text in (item.value ?? "").split(separator: ",") {
                if let port = UInt16(text), port > 0 { ports.append(Int32(port)) }
            }
        }
        return ports
    }

    private func refuse(_ refusal: Refusal, on channel: Channel) -> EventLoopFuture<HTTPHeaders?> {
        state.withValue { $0.refusal = refusal }
        return channel.eventLoop.makeSucceededFuture(nil)
    }
}
