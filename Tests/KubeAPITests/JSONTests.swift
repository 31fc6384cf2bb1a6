import Foundation
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

    @Test func settersKeepOrderAndLeaveCopiesAlone() {
        var v = try! JSONParser.parse(#"{"kind":"Pod","metadata":{"name":"x","labels":{"a":"1"}},"spec":{}}"#)
        let before = v
        v["metadata"]?["labels"]?["b"] = "2"
        v["metadata"]?["name"] = nil
        v[path: ["spec", "nodeName"]] = "n1"
        v[path: ["kind"]] = "Pod"
        v["status"]?["phase"] = "Pending"
        v["metadata"]!["labels"]!["a"] = nil
        #expect(v.text == #"{"kind":"Pod","metadata":{"labels":{"b":"2"}},"spec":{"nodeName":"n1"}}"#)
        #expect(before.text == #"{"kind":"Pod","metadata":{"name":"x","labels":{"a":"1"}},"spec":{}}"#)
        var s: JSON = "text"
        s["a"] = 1
        s[path: ["a", "b"]] = 1
        #expect(s == "text")
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

struct TimestampParsingTests {
    @Test(arguments: [
        ("2026-12-01T08:15:10Z", 1_796_112_910.0),
        ("2026-12-01T08:15:10.5Z", 1_796_112_910.5),
        ("2026-12-01T09:15:10+01:00", 1_796_112_910.0),
        ("2026-12-01T03:15:10-05:00", 1_796_112_910.0),
        ("1970-01-01T00:00:00Z", 0.0),
    ])
    func parsesRFC3339(text: String, seconds: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001)
    }

    @Test(arguments: ["", "2026-12-01", "2026-13-01T08:15:10Z", "2026-12-01 08:15:10Z", "yesterday", "2026-12-01T08:15:10"])
    func rejects(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func roundTrips() {
        let date = Date(timeIntervalSince1970: 1_796_112_910)
        #expect(Timestamp.string(date) == "2026-12-01T08:15:10Z")
        #expect(Timestamp.parse(Timestamp.string(date)) == date)
    }
}
