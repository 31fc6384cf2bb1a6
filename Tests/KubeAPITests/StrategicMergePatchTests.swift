import Testing
@testable import KubeAPI

struct StrategicMergePatchTests {
    static let pod = try! JSONParser.parse(#"""
    {"apiVersion":"v1","kind":"Pod",
     "metadata":{"name":"web","labels":{"app":"web","tier":"fe"},"finalizers":["a"]},
     "spec":{"containers":[
        {"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}],
         "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
        {"name":"sidecar","image":"busybox"}],
      "volumes":[{"name":"data","emptyDir":{}}],
      "tolerations":[{"key":"k","operator":"Exists"}]}}
    """#)

    static func patched(_ patch: String) throws -> JSON {
        let def = try #require(Schema.shared.definition(group: "", version: "v1", kind: "Pod"))
        return try StrategicMergePatch.apply(JSONParser.parse(patch), to: pod, schema: def)
    }

    @Test func kubectlApplyContainerEdit() throws {
        let r = try Self.patched(#"""
        {"metadata":{"labels":{"tier":null}},"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],
         "containers":[{"name":"nginx","image":"nginx:1.26","ports":null}]}}
        """#)
        #expect(r["metadata"]?["labels"] == ["app": "web"])
        let containers = try #require(r[path: ["spec", "containers"]]?.array)
        #expect(containers.count == 2)
        #expect(containers[0]["image"] == "nginx:1.26")
        #expect(containers[0]["ports"] == nil)
        #expect(containers[0]["env"]?.array?.count == 2)
        #expect(containers[1] == ["name": "sidecar", "image": "busybox"])
    }

    @Test func setElementOrderReorders() throws {
        let r = try Self.patched(#"""
        {"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"extra"},{"name":"nginx"}],
         "containers":[{"name":"extra","image":"x"}]}}
        """#)
        #expect(r[path: ["spec", "containers"]]?.array?.compactMap { $0["name"]?.string } == ["sidecar", "extra", "nginx"])
    }

    @Test(arguments: [
        // merge by key: env by name
        (#"{"spec":{"containers":[{"name":"nginx","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}"#,
         ["spec", "containers"], #"[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]},{"name":"sidecar","image":"busybox"}]"#),
        // $patch: delete in a list element
        (#"{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}"#,
         ["spec", "containers"], #"[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]"#),
        // $patch: replace of a whole list
        (#"{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}"#,
         ["spec", "containers"], #"[{"name":"only","image":"x"}]"#),
        // ports merge by containerPort
        (#"{"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]}}"#,
         ["spec", "containers", "0", "ports"], #"[{"containerPort":80,"name":"http"},{"containerPort":443}]"#),
        // finalizers merge as a set
        (#"{"metadata":{"finalizers":["b","a"]}}"#, ["metadata", "finalizers"], #"["a","b"]"#),
        (#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#, ["metadata", "finalizers"], #"[]"#),
        // tolerations are atomic: replaced
        (#"{"spec":{"tolerations":[{"key":"x","operator":"Exists"}]}}"#, ["spec", "tolerations"], #"[{"key":"x","operator":"Exists"}]"#),
        // $retainKeys on a volume: switching its source
        (#"{"spec":{"volumes":[{"name":"data","hostPath":{"path":"/d"},"$retainKeys":["name","hostPath"]}]}}"#,
         ["spec", "volumes"], #"[{"name":"data","hostPath":{"path":"/d"}}]"#),
        // $patch: replace in a map
        (#"{"metadata":{"labels":{"$patch":"replace","new":"1"}}}"#, ["metadata", "labels"], #"{"new":"1"}"#),
        (#"{"metadata":{"labels":{"$patch":"delete"}}}"#, ["metadata", "labels"], #"{}"#),
        // new keys are added with their directives stripped
        (#"{"spec":{"nodeSelector":{"disk":"ssd","gone":null}}}"#, ["spec", "nodeSelector"], #"{"disk":"ssd"}"#),
    ] as [(String, [String], String)])
    func merges(patch: String, at path: [String], expected: String) throws {
        var value: JSON? = try Self.patched(patch)
        for step in path { value = Int(step).map { value?.array?[$0] } ?? value?[step] }
        #expect(value == (try JSONParser.parse(expected)))
    }

    @Test(arguments: [
        (#"{"spec":{"containers":[{"image":"x"}]}}"#, #"map: {"image":"x"} does not contain declared merge key: name"#),
        (#"{"metadata":{"$patch":"explode"}}"#, #"unknown patch type: "explode" in map: {}"#),
        (#"[1]"#, "strategic merge patch must be a JSON object, got array"),
    ])
    func rejects(patch: String, message: String) {
        #expect(throws: PatchError(message)) { try Self.patched(patch) }
    }
}
