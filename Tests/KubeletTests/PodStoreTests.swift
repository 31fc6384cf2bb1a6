import Testing
@testable import Kubelet

struct PodStoreTests {
    @Test func aWorkersInspectionDoesNotHideAChangeFromTheRelist() {
        let store = PodStore()
        let running = RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [Fixture.running("main", id: "main-0")])
        let exited = RuntimePodState(sandboxes: [Fixture.readySandbox], containers: [Fixture.exited("main", code: 1)])
        #expect(store.replaceRuntime(["uid-1": running]) == ["uid-1"])
        store.setRuntime("uid-1", exited)
        #expect(store.replaceRuntime(["uid-1": exited]) == ["uid-1"])
        #expect(store.replaceRuntime(["uid-1": exited]).isEmpty)
        #expect(store.replaceRuntime([:]) == ["uid-1"])
    }
}
