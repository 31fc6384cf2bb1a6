import Testing
@testable import KubeAPI

struct LabelSelectorTests {
    static let labels = ["app": "web", "tier": "fe", "env": "prod", "n": "5"]

    @Test(arguments: [
        ("", true), ("app=web", true), ("app==web", true), ("app!=web", false), ("app=db", false),
        ("app in (web,db)", true), ("app notin (web)", false), ("app notin (db)", true), ("app", true),
        ("!app", false), ("missing", false), ("!missing", true), ("missing!=x", true),
        ("missing notin (x)", true), ("app=web,tier=fe", true), ("app=web, tier=be", false),
        ("app in (web), env", true), ("n>4", true), ("n<5", false), ("app=", false),
        ("x in (in,notin)", false), ("app in (,web)", true),
    ])
    func matches(selector: String, expected: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(Self.labels) == expected)
    }

    @Test(arguments: [
        ("app=web,", "found '', expected: identifier after ','"),
        ("app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"),
        ("=web", "found '=', expected: !, identifier, or 'end of string'"),
        ("app in web", "unable to parse requirement: found 'web' expected: '('"),
        ("app in (web", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("app (web)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
        ("app=a b", "found 'b', expected: ',' or 'end of string'"),
        ("n>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ])
    func rejects(selector: String, message: String) {
        #expect(throws: SelectorError(message)) { try LabelSelector(parsing: selector) }
    }

    @Test func rejectsBadKey() throws {
        let e = try #require(throws: SelectorError.self) { try LabelSelector(parsing: "-bad=x") }
        #expect(e.message.hasPrefix("unable to parse requirement: key: Invalid value: \"-bad\": name part must consist of"))
    }

    @Test func everything() throws {
        #expect(try LabelSelector(parsing: "").isEverything)
        #expect(try LabelSelector(parsing: "  ").isEverything)
        #expect(try !LabelSelector(parsing: "a").isEverything)
    }

    @Test func printsSorted() throws {
        #expect(try LabelSelector(parsing: "z in (b,a),!y,x!=1").description == "x!=1,!y,z in (a,b)")
    }

    @Test(arguments: [
        (JSON.object(JSONObject()), true),
        (["matchLabels": ["app": "web"]], true),
        (["matchLabels": ["app": "db"]], false),
        (["matchExpressions": [["key": "tier", "operator": "In", "values": ["fe", "be"]]]], true),
        (["matchExpressions": [["key": "tier", "operator": "NotIn", "values": ["fe"]]]], false),
        (["matchExpressions": [["key": "tier", "operator": "Exists"]]], true),
        (["matchExpressions": [["key": "tier", "operator": "DoesNotExist"]]], false),
        (JSON.null, false),
    ] as [(JSON, Bool)])
    func fromJSON(selector: JSON, expected: Bool) throws {
        #expect(try LabelSelector(json: selector).matches(Self.labels) == expected)
    }

    @Test func jsonErrors() {
        #expect(throws: SelectorError("\"Gt\" is not a valid label selector operator")) {
            try LabelSelector(json: ["matchExpressions": [["key": "a", "operator": "Gt", "values": ["1"]]]])
        }
        #expect(throws: SelectorError("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty")) {
            try LabelSelector(json: ["matchExpressions": [["key": "a", "operator": "In", "values": []]]])
        }
    }
}
