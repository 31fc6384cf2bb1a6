@testable import Controllers
import Testing

struct CIDRSetTests {
    @Test func handsOutBlocksInOrderAndWrapsAroundAfterRelease() throws {
        var set = try CIDRSet(cluster: "10.42.0.0/22", maskSize: 24)
        #expect(set.capacity == 4)
        let r1 = set.allocate()
        #expect(r1 == "10.42.0.0/24")
        let r2 = set.allocate()
        #expect(r2 == "10.42.1.0/24")
        set.release("10.42.0.0/24")
        // The freed block is not reused at once: allocation goes on from the last one given.
        let r3 = set.allocate()
        #expect(r3 == "10.42.2.0/24")
        let r4 = set.allocate()
        #expect(r4 == "10.42.3.0/24")
        let r5 = set.allocate()
        #expect(r5 == "10.42.0.0/24")
        let r6 = set.allocate()
        #expect(r6 == nil)
        #expect(set.allocatedCount == 4)
    }

    @Test func existingRangesAreSkipped() throws {
        var set = try CIDRSet(cluster: "10.42.0.0/16", maskSize: 24)
        let r7 = set.occupy("10.42.0.0/24")
        #expect(r7)
        let r8 = set.occupy("10.42.1.0/24")
        #expect(r8)
        let r9 = set.occupy("10.43.0.0/24")
        #expect(!r9, "outside the cluster range")
        let r10 = set.occupy("10.42.2.0/25")
        #expect(!r10, "another block size")
        let r11 = set.occupy("garbage")
        #expect(!r11)
        let r12 = set.allocate()
        #expect(r12 == "10.42.2.0/24")
    }

    @Test(arguments: [
        ("10.42.0.0/16", 24, nil),
        ("10.42.0.0/16", 16, nil),
        ("10.42.0.0/16", 30, nil),
        ("10.42.0.0/16", 31, CIDRSet.ConfigurationError.invalidMaskSize(cluster: "10.42.0.0/16", mask: 31)),
        ("10.42.0.0/16", 8, CIDRSet.ConfigurationError.invalidMaskSize(cluster: "10.42.0.0/16", mask: 8)),
        ("10.0.0.0/8", 25, CIDRSet.ConfigurationError.invalidMaskSize(cluster: "10.0.0.0/8", mask: 25)),
        ("fd00::/48", 64, CIDRSet.ConfigurationError.invalidClusterCIDR("fd00::/48")),
        ("10.42.0.0", 24, CIDRSet.ConfigurationError.invalidClusterCIDR("10.42.0.0")),
    ] as [(String, Int, CIDRSet.ConfigurationError?)])
    func configuration(cluster: String, mask: Int, expected: CIDRSet.ConfigurationError?) {
        do {
            _ = try CIDRSet(cluster: cluster, maskSize: mask)
            #expect(expected == nil)
        } catch let error as CIDRSet.ConfigurationError {
            #expect(error == expected)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
