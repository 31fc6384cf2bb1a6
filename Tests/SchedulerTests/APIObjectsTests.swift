import KubeAPI
import Testing
@testable import Scheduler

@Suite struct APIObjectsTests {
    @Test func binding() {
        let b = APIObjects.binding(namespace: "ns", name: "web", uid: "u1", node: "n1")
        #expect(b.text == #"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"web","namespace":"ns","uid":"u1"},"target":{"apiVersion":"v1","kind":"Node","name":"n1"}}"#)
    }

    @Test func unschedulablePatch() {
        let p = APIObjects.unschedulableStatusPatch(message: "0/1 nodes are available: 1 Too many pods.", now: "2026-01-01T00:00:00Z")
        let c = p["status"]?["conditions"]?.array?.first
        #expect(c?["type"] == "PodScheduled")
        #expect(c?["status"] == "False")
        #expect(c?["reason"] == "Unschedulable")
        #expect(c?["lastProbeTime"] == .null)
    }

    @Test func eventObject() {
        let pod = PodInfo(pod: Fixture.pod("web", namespace: "ns"))
        let e = SchedulerEvent.scheduled(pod, node: "n1").object(name: "web.1", now: "2026-01-01T00:00:00Z")
        #expect(e["involvedObject"]?["kind"] == "Pod")
        #expect(e["involvedObject"]?["uid"] == "uid-ns-web")
        #expect(e["message"] == "Successfully assigned ns/web to n1")
        #expect(e["type"] == "Normal")
        #expect(e["action"] == "Binding")
        #expect(e["source"]?["component"] == "default-scheduler")
        let f = SchedulerEvent.failedScheduling(pod, message: "m").object(name: "web.2", now: "2026-01-01T00:00:00Z")
        #expect(f["type"] == "Warning")
        #expect(f["reason"] == "FailedScheduling")
        #expect(f["action"] == "Scheduling")
    }
}
