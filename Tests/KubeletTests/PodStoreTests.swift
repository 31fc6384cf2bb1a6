import Testing
import KubeAPI
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

    @Test func aConfirmedDeletionLastsUntilThePodIsGone() {
        let store = PodStore()
        store.setPod("uid-1", ["metadata": ["name": "a"]])
        store.setPod("uid-2", ["metadata": ["name": "b"]])
        store.confirmDeletion("uid-1")
        store.confirmDeletion("uid-2")
        // A late update of the pod does not clear it: only the DELETED event (or a relist without it) does.
        store.setPod("uid-1", ["metadata": ["name": "a", "deletionGracePeriodSeconds": 0]])
        #expect(store.isDeletionConfirmed("uid-1"))
        store.setPod("uid-1", nil)
        #expect(!store.isDeletionConfirmed("uid-1"))
        store.replacePods([:])
        #expect(!store.isDeletionConfirmed("uid-2"))
    }
}
