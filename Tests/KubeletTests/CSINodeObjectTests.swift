import KubeAPI
import Testing
@testable import Kubelet

struct CSINodeObjectTests {
    static let hostpath = CSINodeObject.Driver(name: "hostpath.csi.skiff.dev", nodeID: "n1",
                                               topologyKeys: ["topology.hostpath.csi.skiff.dev/node"])

    @Test func newIsOwnedByTheNode() {
        let o = CSINodeObject.new(node: "n1", nodeUID: "uid-1", drivers: [Self.hostpath])
        #expect(o["kind"]?.string == "CSINode" && o["apiVersion"]?.string == "storage.k8s.io/v1")
        #expect(o[path: ["metadata", "name"]]?.string == "n1")
        #expect(o[path: ["metadata", "ownerReferences"]]?.array?.first?["uid"]?.string == "uid-1")
        let d = o[path: ["spec", "drivers"]]?.array?.first
        #expect(d?["nodeID"]?.string == "n1")
        #expect(d?["topologyKeys"] == ["topology.hostpath.csi.skiff.dev/node"])
        #expect(d?["allocatable"] == nil)
    }

    @Test func addingReplacesAndRemovingDrops() {
        let empty = CSINodeObject.new(node: "n1", nodeUID: nil, drivers: [])
        let one = try! #require(CSINodeObject.adding(Self.hostpath, to: empty))
        #expect(CSINodeObject.adding(Self.hostpath, to: one) == nil, "already there: nothing to write")
        var moved = Self.hostpath
        moved.nodeID = "n1-new"
        moved.maxVolumes = 8
        let replaced = try! #require(CSINodeObject.adding(moved, to: one))
        #expect(replaced[path: ["spec", "drivers"]]?.array?.count == 1)
        #expect(replaced[path: ["spec", "drivers"]]?.array?.first?[path: ["allocatable", "count"]] == 8)
        let other = CSINodeObject.Driver(name: "another.csi", nodeID: "x", topologyKeys: [])
        let two = try! #require(CSINodeObject.adding(other, to: replaced))
        #expect(two[path: ["spec", "drivers"]]?.array?.compactMap { $0["name"]?.string } == ["another.csi", "hostpath.csi.skiff.dev"])
        let back = try! #require(CSINodeObject.removing("another.csi", from: two))
        #expect(back[path: ["spec", "drivers"]]?.array?.count == 1)
        #expect(CSINodeObject.removing("another.csi", from: back) == nil)
    }
}
