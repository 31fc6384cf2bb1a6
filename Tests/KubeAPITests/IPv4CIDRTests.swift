import KubeAPI
import Testing

struct IPv4CIDRTests {
    @Test(arguments: [
        ("10.42.0.0/16", "10.42.0.0/16"),
        ("10.42.7.9/16", "10.42.0.0/16"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("192.168.1.77/32", "192.168.1.77/32"),
    ])
    func parsesAndNormalises(text: String, expected: String) {
        #expect(IPv4CIDR(text)?.description == expected)
    }

    @Test(arguments: ["10.42.0.0", "10.42.0.0/33", "10.42.0/16", "10.42.0.256/16", "10.42.0.0/-1", "a.b.c.d/8", "10.42.0.0/16/1",
                      "fd00::/64", "", "10.42.0.0 /16", "010.42.0.0/16x"])
    func rejects(text: String) {
        #expect(IPv4CIDR(text) == nil)
    }

    @Test(arguments: [
        ("10.42.0.0/16", 24, 0, "10.42.0.0/24"),
        ("10.42.0.0/16", 24, 1, "10.42.1.0/24"),
        ("10.42.0.0/16", 24, 255, "10.42.255.0/24"),
        ("10.128.0.0/9", 24, 300, "10.129.44.0/24"),
        ("10.42.0.0/16", 26, 5, "10.42.1.64/26"),
        ("10.42.0.0/16", 16, 0, "10.42.0.0/16"),
    ])
    func blocks(cluster: String, prefix: Int, index: Int, expected: String) {
        let network = IPv4CIDR(cluster)!
        let block = network.block(index, prefix: prefix)
        #expect(block?.description == expected)
        #expect(block.flatMap { network.index(of: $0) } == index)
    }

    @Test func blockEdges() {
        let network = IPv4CIDR("10.42.0.0/16")!
        #expect(network.blockCount(prefix: 24) == 256)
        #expect(network.block(256, prefix: 24) == nil)
        #expect(network.block(-1, prefix: 24) == nil)
        #expect(network.blockCount(prefix: 8) == 0)
        #expect(network.index(of: IPv4CIDR("10.43.0.0/24")!) == nil)
        #expect(network.contains(IPv4CIDR("10.42.3.0/24")!))
        #expect(!network.contains(IPv4CIDR("10.0.0.0/8")!))
        #expect(network.overlaps(IPv4CIDR("10.0.0.0/8")!))
        #expect(!network.overlaps(IPv4CIDR("10.43.0.0/16")!))
    }

    @Test func nodePodRanges() throws {
        let both = try JSONParser.parse(#"{"spec":{"podCIDR":"10.42.1.0/24","podCIDRs":["fd00:1::/64","10.42.1.0/24"]}}"#)
        #expect(NodePodRanges.of(both) == ["fd00:1::/64", "10.42.1.0/24"])
        #expect(NodePodRanges.ipv4(both)?.description == "10.42.1.0/24")
        let old = try JSONParser.parse(#"{"spec":{"podCIDR":"10.42.2.0/24"}}"#)
        #expect(NodePodRanges.of(old) == ["10.42.2.0/24"])
        #expect(NodePodRanges.of(try JSONParser.parse(#"{"spec":{}}"#)).isEmpty)
    }
}
