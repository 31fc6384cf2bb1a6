import Testing
@testable import KubeAPI

struct JSONPatchTests {
    static let doc: JSON = ["a": ["b": "c"], "list": [1, 2, 3], "a/b": 1, "m~n": 2]

    @Test(arguments: [
        (#"[{"op":"add","path":"/a/d","value":1}]"#, #"{"a":{"b":"c","d":1},"list":[1,2,3],"a/b":1,"m~n":2}"#),
        (#"[{"op":"add","path":"/list/-","value":4}]"#, #"{"a":{"b":"c"},"list":[1,2,3,4],"a/b":1,"m~n":2}"#),
        (#"[{"op":"add","path":"/list/0","value":0}]"#, #"{"a":{"b":"c"},"list":[0,1,2,3],"a/b":1,"m~n":2}"#),
        (#"[{"op":"remove","path":"/list/1"}]"#, #"{"a":{"b":"c"},"list":[1,3],"a/b":1,"m~n":2}"#),
        (#"[{"op":"remove","path":"/a~1b"},{"op":"remove","path":"/m~0n"}]"#, #"{"a":{"b":"c"},"list":[1,2,3]}"#),
        (#"[{"op":"replace","path":"/a/b","value":"x"}]"#, #"{"a":{"b":"x"},"list":[1,2,3],"a/b":1,"m~n":2}"#),
        (#"[{"op":"move","from":"/a/b","path":"/z"}]"#, #"{"a":{},"list":[1,2,3],"a/b":1,"m~n":2,"z":"c"}"#),
        (#"[{"op":"copy","from":"/list/0","path":"/a/one"}]"#, #"{"a":{"b":"c","one":1},"list":[1,2,3],"a/b":1,"m~n":2}"#),
        (#"[{"op":"test","path":"/list/2","value":3.0},{"op":"replace","path":"","value":7}]"#, "7"),
    ])
    func applies(ops: String, expected: String) throws {
        let result = try JSONPatch.apply(JSONParser.parse(ops), to: Self.doc)
        #expect(result == (try JSONParser.parse(expected)))
    }

    @Test(arguments: [
        (#"[{"op":"remove","path":"/nope"}]"#, "path /nope does not exist"),
        (#"[{"op":"replace","path":"/list/9","value":1}]"#, "array index 9 out of bounds (length 3)"),
        (#"[{"op":"add","path":"/list/x","value":1}]"#, "invalid array index \"x\""),
        (#"[{"op":"test","path":"/a/b","value":"d"}]"#, "testing value /a/b failed"),
        (#"[{"op":"jump","path":"/a"}]"#, "unexpected kind of json patch operation: \"jump\""),
        (#"[{"op":"add","path":"a"}]"#, "JSON pointer \"a\" must start with '/'"),
        (#"[{"op":"add","path":"/a"}]"#, #"missing value in json patch operation {"op":"add","path":"/a"}"#),
        (#"{"op":"add"}"#, "json patch must be a JSON array of operations"),
        (#"[{"op":"move","from":"/a","path":"/a/b/c"}]"#, "cannot move /a into its own child /a/b/c"),
    ])
    func rejects(ops: String, message: String) throws {
        let parsed = try JSONParser.parse(ops)
        #expect(throws: PatchError(message)) { try JSONPatch.apply(parsed, to: Self.doc) }
    }
}

struct MergePatchTests {
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        (#"{"metadata":{"labels":{"app":"web","tier":"fe"}}}"#, #"{"metadata":{"labels":{"tier":null}}}"#,
         #"{"metadata":{"labels":{"app":"web"}}}"#),
    ])
    func rfc7386Examples(target: String, patch: String, expected: String) throws {
        #expect(try MergePatch.apply(JSONParser.parse(patch), to: JSONParser.parse(target)) == JSONParser.parse(expected))
    }
}
