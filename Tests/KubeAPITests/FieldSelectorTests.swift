import Testing
@testable import KubeAPI

struct FieldSelectorTests {
    static let pod = ["metadata.name": "web", "metadata.namespace": "default", "status.phase": "Running"]

    @Test(arguments: [
        ("", true), ("metadata.name=web", true), ("metadata.name==web", true), ("metadata.name!=web", false),
        ("status.phase!=Pending,metadata.namespace=default", true), ("spec.nodeName=", true),
        ("spec.nodeName!=", false), ("metadata.name=db", false),
    ])
    func matches(selector: String, expected: Bool) throws {
        #expect(try FieldSelector(parsing: selector).matches(Self.pod) == expected)
    }

    @Test func clusterScopedObjectsMatchEmptyNamespace() throws {
        #expect(try FieldSelector(parsing: "metadata.namespace=").matches(["metadata.name": "node-1"]))
    }

    @Test func requirementsAreExposed() throws {
        let s = try FieldSelector(parsing: "status.phase!=Running,metadata.name=a\\,b")
        #expect(s.requirements == [
            .init(field: "metadata.name", op: .equals, value: "a,b"),
            .init(field: "status.phase", op: .notEquals, value: "Running"),
        ])
        #expect(s.description == "metadata.name=a\\,b,status.phase!=Running")
    }

    @Test(arguments: [
        ("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
        ("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
        ("a=b=c", "invalid field selector: unescaped character in value: ="),
    ])
    func rejects(selector: String, message: String) {
        #expect(throws: SelectorError(message)) { try FieldSelector(parsing: selector) }
    }

    @Test func escapedEquals() throws {
        #expect(try FieldSelector(parsing: "a=b\\=c").requirements == [.init(field: "a", op: .equals, value: "b=c")])
    }
}
