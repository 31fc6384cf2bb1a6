import Foundation
import KubeAPI
import Testing
@testable import Controllers

struct NodeLifecycleTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_119_200)

    static func node(ready: String, heartbeat: Date) -> JSON {
        .object(JSONObject([
            ("metadata", .object(JSONObject([("name", "n1"), ("creationTimestamp", .string(Timestamp.string(t0.addingTimeInterval(-3600))))]))),
            ("status", .object(JSONObject([("conditions", .array([.object(JSONObject([
                ("type", "Ready"), ("status", .string(ready)), ("lastHeartbeatTime", .string(Timestamp.string(heartbeat))),
            ]))]))]))),
        ]))
    }

    @Test(arguments: [
        // (Ready, heartbeat age, lease age, expected)
        ("True", 5.0, 5.0, NodeHealth.ready),
        ("True", 300.0, 10.0, .ready),
        ("True", 300.0, 51.0, .unreachable),
        ("False", 5.0, 5.0, .notReady),
        ("True", 60.0, nil, .unreachable),
    ] as [(String, Double, Double?, NodeHealth)])
    func health(ready: String, heartbeatAge: Double, leaseAge: Double?, expected: NodeHealth) {
        let node = Self.node(ready: ready, heartbeat: Self.t0.addingTimeInterval(-heartbeatAge))
        let lease = leaseAge.map { Self.t0.addingTimeInterval(-$0) }
        #expect(NodeHealth.of(node: node, leaseRenewed: lease, now: Self.t0, grace: 50) == expected)
    }

    @Test func taintsFollowHealthAndLeaveOthersAlone() throws {
        let own: JSON = .object(JSONObject([("key", "dedicated"), ("effect", "NoSchedule")]))
        let tainted = try #require(NodeHealth.unreachable.taints([own], now: Self.t0))
        #expect(tainted.compactMap { $0["key"]?.string } == ["dedicated", NodeHealth.unreachableTaint, NodeHealth.unreachableTaint])
        #expect(NodeHealth.unreachable.taints(tainted, now: Self.t0) == nil)
        #expect(NodeHealth.ready.taints(tainted, now: Self.t0) == [own])
        let notReady = try #require(NodeHealth.notReady.taints(tainted, now: Self.t0))
        #expect(!notReady.contains { $0["key"]?.string == NodeHealth.unreachableTaint })
    }

    static func pod(_ tolerations: [JSON]) -> JSON {
        .object(JSONObject([("spec", .object(JSONObject([("tolerations", .array(tolerations))])))]))
    }

    static let taint: JSON = .object(JSONObject([("key", .string(NodeHealth.unreachableTaint)), ("effect", "NoExecute"),
                                                 ("timeAdded", .string(Timestamp.string(t0)))]))

    static func toleration(_ seconds: Int64?) -> JSON {
        var o = JSONObject([("key", .string(NodeHealth.unreachableTaint)), ("operator", "Exists"), ("effect", "NoExecute")])
        if let seconds { o["tolerationSeconds"] = .int(seconds) }
        return .object(o)
    }

    @Test func evictionFollowsTolerations() {
        #expect(TaintEviction.decide(pod: Self.pod([]), taints: [Self.taint], now: Self.t0) == .now)
        #expect(TaintEviction.decide(pod: Self.pod([Self.toleration(nil)]), taints: [Self.taint], now: Self.t0) == .keep)
        #expect(TaintEviction.decide(pod: Self.pod([Self.toleration(300)]), taints: [Self.taint], now: Self.t0.addingTimeInterval(10))
                == .at(Self.t0.addingTimeInterval(300)))
        #expect(TaintEviction.decide(pod: Self.pod([Self.toleration(5)]), taints: [Self.taint], now: Self.t0.addingTimeInterval(6)) == .now)
        let everything: JSON = .object(JSONObject([("operator", "Exists")]))
        #expect(TaintEviction.decide(pod: Self.pod([everything]), taints: [Self.taint], now: Self.t0) == .keep)
    }

    @Test func leaseMicroTimeParses() {
        #expect(Timestamp.parse("2026-12-01T10:00:00.123456Z").map { Int($0.timeIntervalSince1970) } == 1_796_119_200)
    }
}
