import KubeAPI
import Testing
@testable import Scheduler

struct VolumeBindingTests {
    static func claimPod(_ name: String, uid: String, claims: [String]) -> PodInfo {
        let volumes: [JSON] = claims.map { ["name": .string($0), "persistentVolumeClaim": ["claimName": .string($0)]] }
        return PodInfo(pod: Fixture.pod(name, uid: uid, spec: [("volumes", .array(volumes))]))
    }

    static func state() -> VolumeState {
        let s = VolumeState()
        s.replace(claims: [
            ["metadata": ["name": "bound", "namespace": "default"], "spec": ["volumeName": "pv1", "storageClassName": "fast", "accessModes": ["ReadWriteOnce"]],
             "status": ["phase": "Bound"]],
            ["metadata": ["name": "waiting", "namespace": "default"], "spec": ["storageClassName": "late", "accessModes": ["ReadWriteOnce"]]],
            ["metadata": ["name": "unbound", "namespace": "default"], "spec": ["storageClassName": "fast", "accessModes": ["ReadWriteOnce"]]],
            ["metadata": ["name": "solo", "namespace": "default"], "spec": ["volumeName": "pv2", "storageClassName": "fast",
                                                                               "accessModes": ["ReadWriteOncePod"]], "status": ["phase": "Bound"]],
        ], volumes: [
            ["metadata": ["name": "pv1"], "spec": ["nodeAffinity": ["required": ["nodeSelectorTerms": [
                ["matchExpressions": [["key": "topology.hostpath.csi.skiff.dev/node", "operator": "In", "values": ["n1"]]]]]]]]],
            ["metadata": ["name": "pv2"], "spec": [:]],
        ], classes: [
            ["metadata": ["name": "fast"], "volumeBindingMode": "Immediate"],
            ["metadata": ["name": "late"], "volumeBindingMode": "WaitForFirstConsumer"],
        ])
        return s
    }

    @Test func preFilter() {
        let s = Self.state()
        let plugin = VolumeBinding(state: s)
        #expect(plugin.preFilter(Fixture.podInfo()) == .skip)
        #expect(plugin.preFilter(Self.claimPod("a", uid: "a", claims: ["bound", "waiting"])).isSuccess)
        #expect(plugin.preFilter(Self.claimPod("b", uid: "b", claims: ["unbound"])).reasons == [VolumeBinding.unboundImmediate])
        #expect(plugin.preFilter(Self.claimPod("c", uid: "c", claims: ["missing"])).reasons == ["persistentvolumeclaim \"missing\" not found"])
        #expect(plugin.preFilter(Self.claimPod("d", uid: "d", claims: ["solo"])).isSuccess)
        s.setPodClaims(uid: "d", namespace: "default", claims: ["solo"])
        #expect(plugin.preFilter(Self.claimPod("d", uid: "d", claims: ["solo"])).isSuccess)
        #expect(plugin.preFilter(Self.claimPod("e", uid: "e", claims: ["solo"])).reasons == [VolumeBinding.readWriteOncePodConflict])
        s.setPodClaims(uid: "d", namespace: "default", claims: nil)
        #expect(plugin.preFilter(Self.claimPod("e", uid: "e", claims: ["solo"])).isSuccess)
    }

    @Test func filterFollowsTheVolumesNodeAffinity() {
        let plugin = VolumeBinding(state: Self.state())
        let pod = Self.claimPod("a", uid: "a", claims: ["bound"])
        let n1 = Fixture.nodeInfo(Fixture.node("n1", labels: ["topology.hostpath.csi.skiff.dev/node": "n1"]))
        let n2 = Fixture.nodeInfo(Fixture.node("n2", labels: ["topology.hostpath.csi.skiff.dev/node": "n2"]))
        #expect(plugin.filter(pod, on: n1).isSuccess)
        #expect(plugin.filter(pod, on: n2).reasons == [VolumeBinding.nodeConflict])
        #expect(plugin.lateBindingClaims(Self.claimPod("w", uid: "w", claims: ["waiting", "bound"])) == ["waiting"])
    }
}
