@testable import CSIDriver
import Testing

@Suite("CSI driver test hook: pause names")
struct HostPathPauseTests {
    @Test(arguments: [
        ("CreateVolume, NodePublishVolume", Result<Set<HostPathPause>, HostPathPause.UnknownCall>.success([.createVolume, .nodePublishVolume])),
        ("", .success([])),
        ("DeleteVolume,NodeStageVolume", .success([.deleteVolume, .nodeStageVolume])),
        ("CreateVolume,Mount", .failure(.init(name: "Mount"))),
    ])
    func parses(_ list: String, _ expected: Result<Set<HostPathPause>, HostPathPause.UnknownCall>) {
        #expect(HostPathPause.parse(list) == expected)
    }
}
