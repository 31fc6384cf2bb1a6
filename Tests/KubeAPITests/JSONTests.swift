import Testing
@testable import KubeAPI

struct JSONTests {
    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":"x\"y\\z\n","d":-1.5,"e":{}}"#,
        #"[]"#, #""\u00e9\ud83d\ude00""#, #"9223372036854775807"#, #"{"z":1,"a":2}"#,
    ])
    func roundTrips(text: String) throws {
        let v = try JSONParser.parse(text)
        let again = try JSONParser.parse(v.text)
        #expect(v == again)
    }

    @Test func keepsKeyOrderAndIntegers() throws {
        let v = try JSONParser.parse(#"{"z":1,"a":{"rv":"12","n":12}}"#)
        #expect(v.text == #"{"z":1,"a":{"rv":"12","n":12}}"#)
        #expect(v[path: ["a", "n"]] == .int(12))
    }

    @Test(arguments: [#"{"a":}"#, #"{"a":1"#, "[1,]", "tru", #""\x""#, "01x", #"{"a" 1}"#, ""])
    func rejectsMalformed(text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
    }

    @Test func pathSetterCreatesObjects() {
        var v: JSON = ["metadata": ["name": "x"]]
        v[path: ["metadata", "labels", "app"]] = "web"
        v[path: ["metadata", "name"]] = nil
        #expect(v == ["metadata": ["labels": ["app": "web"]]])
    }

    @Test func escapesControlCharacters() {
        #expect(JSON.string("a\u{01}b\tc").text == #""a\u0001b\tc""#)
    }

    @Test func schemaKnowsPodMergeKeys() throws {
        let pod = try #require(Schema.shared.definition(group: "", version: "v1", kind: "Pod"))
        let containers = try #require(Schema.shared.field(in: pod, path: ["spec", "containers"]))
        #expect(containers.mergeKey == "name")
        #expect(containers.mergesByKey)
        let volumes = try #require(Schema.shared.field(in: pod, path: ["spec", "volumes"]))
        #expect(volumes.patchStrategy == ["merge", "retainKeys"])
        let container = try #require(Schema.shared.definition(named: "core.v1.Container"))
        #expect(container.required == ["name"])
    }
}
