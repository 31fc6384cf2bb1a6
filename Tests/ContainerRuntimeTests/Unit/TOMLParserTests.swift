@testable import ContainerRuntime
import Testing

@Suite struct TOMLParserTests {
    static let good: [(String, String, TOMLTable)] = [
        ("empty", "", TOMLTable(explicit: true)),
        ("comments and blanks", "# nothing\n\n   # still nothing\n", TOMLTable(explicit: true)),
        ("strings", #"a = "x\ty\"\u00e9"  # comment"# + "\nb = 'C:\\raw'\n",
         table([("a", .string("x\ty\"é"), 1), ("b", .string("C:\\raw"), 2)])),
        ("booleans and integers", "t = true\nf = false\nn = -1_000\n",
         table([("t", .bool(true), 1), ("f", .bool(false), 2), ("n", .integer(-1000), 3)])),
        ("multi-line array with trailing comma", "caps = [\n  \"pull\", # first\n  'resolve',\n]\n",
         table([("caps", .array([.string("pull"), .string("resolve")]), 1)])),
        ("nested arrays", "client = [[\"a\", \"b\"], [\"c\", \"\"]]",
         table([("client", .array([.array([.string("a"), .string("b")]), .array([.string("c"), .string("")])]), 1)])),
        ("quoted table keys, file order kept", "[host.\"http://b:1\"]\nx = 1\n[host.\"http://a:2\"]\nx = 2\n",
         table([("host", .table(table([("http://b:1", .table(table([("x", .integer(1), 2)])), 1),
                                       ("http://a:2", .table(table([("x", .integer(2), 4)])), 3)], explicit: false)), 1)])),
        ("sub-table of a quoted key", "[host.\"h\"]\n[host.\"h\".header]\nx-a = \"v\"\n",
         table([("host", .table(table([("h", .table(table([("header", .table(table([("x-a", .string("v"), 3)])), 2)])), 1)],
                                      explicit: false)), 1)])),
        ("dotted keys and inline table", "a.b = 1\nc = { d = \"e\", f = [true] }\r\n",
         table([("a", .table(table([("b", .integer(1), 1)], explicit: false)), 1),
                ("c", .table(table([("d", .string("e"), 2), ("f", .array([.bool(true)]), 2)])), 2)])),
    ]

    static func table(_ entries: [(String, TOMLValue, Int)], explicit: Bool = true) -> TOMLTable {
        TOMLTable(entries: entries.map { .init(key: $0.0, value: $0.1, line: $0.2) }, explicit: explicit)
    }

    @Test(arguments: good.indices)
    func parses(index: Int) throws {
        let (name, text, expected) = Self.good[index]
        #expect(try TOMLParser.parse(text, file: "t.toml") == expected, "\(name)")
    }

    static let bad: [(String, Int, String)] = [
        ("a = \"open\nb = 1", 1, "unterminated string"),
        ("a = 1\na = 2", 2, "duplicate key a"),
        ("[t]\n[t]", 2, "defined twice"),
        ("a = 1\n[a]", 2, "not a table"),
        ("a = bare", 1, "strings need quotes"),
        ("a = 1 b = 2", 1, "after the value"),
        ("a = [1, 2", 1, "unterminated array"),
        ("a = [1 2]", 1, "expected , or ]"),
        ("\n\n[[servers]]", 3, "arrays of tables"),
        ("a = \"\"\"x\"\"\"", 1, "multi-line strings"),
        ("a = 1.5", 1, "only decimal integers"),
        ("a = \"\\q\"", 1, "invalid escape"),
        ("= 1", 1, "expected a key"),
        ("a 1", 1, "expected = after key a"),
        ("[t", 1, "expected ] to close"),
        ("a = {b = 1\n}", 1, "inline tables stay on one line"),
        ("x = 1\n\ny = ", 3, "expected a value"),
    ]

    @Test(arguments: bad)
    func refuses(text: String, line: Int, message: String) {
        #expect {
            _ = try TOMLParser.parse(text, file: "/etc/skiff/certs.d/x/hosts.toml")
        } throws: { error in
            guard let error = error as? TOMLError else { return false }
            return error.line == line && error.message.contains(message)
                && error.description.hasPrefix("/etc/skiff/certs.d/x/hosts.toml:\(line): ")
        }
    }
}
