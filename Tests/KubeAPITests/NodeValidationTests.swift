import KubeAPI
import Testing

struct NodeValidationTests {
    static func node(_ spec: String) throws -> JSON { try JSONParser.parse(#"{"metadata":{"name":"n"},"spec":\#(spec)}"#) }

    @Test(arguments: [
        (#"{}"#, []),
        (#"{"podCIDR":"10.42.1.0/24","podCIDRs":["10.42.1.0/24"]}"#, []),
        (#"{"podCIDRs":["10.42.1.0/24","fd00:1::/64"]}"#, []),
        (#"{"podCIDRs":["10.42.1.0"]}"#, ["spec.podCIDRs[0]"]),
        (#"{"podCIDRs":["10.42.1.0/24","10.42.2.0/24"]}"#, ["spec.podCIDRs"]),
        (#"{"podCIDRs":["10.42.1.0/24","fd00:1::/64","fd00:2::/64"]}"#, ["spec.podCIDRs"]),
        (#"{"podCIDR":"nonsense"}"#, ["spec.podCIDR"]),
    ] as [(String, [String])])
    func podRanges(spec: String, fields: [String]) throws {
        #expect(NodeValidation.validate(node: try Self.node(spec)).map(\.field) == fields)
    }

    @Test func rangesAreSetOnceThenImmutable() throws {
        let none = try Self.node("{}")
        let one = try Self.node(#"{"podCIDR":"10.42.1.0/24","podCIDRs":["10.42.1.0/24"]}"#)
        let other = try Self.node(#"{"podCIDR":"10.42.2.0/24","podCIDRs":["10.42.2.0/24"]}"#)
        #expect(NodeValidation.validateUpdate(new: one, old: none).isEmpty)
        #expect(NodeValidation.validateUpdate(new: one, old: one).isEmpty)
        let changed = NodeValidation.validateUpdate(new: other, old: one)
        #expect(changed.map(\.field) == ["spec.podCIDRs"])
        #expect(changed.first?.message.contains("may not change podCIDR") == true)
        #expect(NodeValidation.validateUpdate(new: none, old: one).count == 1)
    }
}
