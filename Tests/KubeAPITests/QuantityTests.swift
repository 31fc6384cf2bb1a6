import Testing
@testable import KubeAPI

struct QuantityTests {
    @Test(arguments: [
        ("1000m", "1"), ("0.5", "500m"), ("1024Mi", "1Gi"), ("1e3", "1e3"), ("1E3", "1E3"),
        ("100M", "100M"), ("1.5Gi", "1536Mi"), ("0", "0"), ("0Mi", "0"), ("0k", "0"),
        ("1.5", "1500m"), ("1500m", "1500m"), ("100m", "100m"), ("0.1", "100m"), ("1Ki", "1Ki"),
        ("1024", "1024"), ("0.5Ki", "512"), ("2048Ki", "2Mi"), ("1.1", "1100m"), ("1n", "1n"),
        ("0.0000000001", "1n"), ("-1.5", "-1500m"), ("12e2", "1200"), ("1.5e3", "1500"),
        ("1e-3", "1e-3"), ("1e2", "100"), ("1000k", "1M"), ("5G", "5G"), ("3Ti", "3Ti"),
        ("1.0", "1"), ("128974848", "128974848"), ("129e6", "129e6"), ("129M", "129M"),
        ("123Mi", "123Mi"), ("1.G", "1.G"), ("1Ei", "1Ei"), ("1000E", "1e21"), ("-1Ki", "-1Ki"),
        ("1.5Ki", "1536"), ("0.001m", "1u"),
    ])
    func serializes(input: String, expected: String) throws {
        #expect(try Quantity(parsing: input).string == expected)
    }

    @Test(arguments: [("+1", "1"), ("1E3", "1e3"), ("010", "10"), ("1000m", "1")])
    func canonicalIgnoresUserText(input: String, expected: String) throws {
        #expect(try Quantity(parsing: input).canonicalString == expected)
    }

    @Test(arguments: [
        ("", QuantityError.formatWrong), ("abc", .formatWrong), ("1.5.5", .formatWrong),
        ("1 Gi", .formatWrong), ("1Gi ", .formatWrong), ("1K", .suffix), ("1Gb", .formatWrong),
        ("1e", .suffix), ("1iM", .suffix), ("1mm", .suffix),
    ])
    func rejects(input: String, error: QuantityError) {
        #expect(throws: error) { try Quantity(parsing: input) }
    }

    @Test func errorMessageMatchesKubernetes() {
        #expect(QuantityError.formatWrong.description
            == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    }

    @Test(arguments: [
        ("1", 1, 1000), ("100m", 1, 100), ("1.5", 2, 1500), ("1Ki", 1024, 1_024_000), ("1n", 1, 1),
        ("-1.5", -2, -1500),
    ] as [(String, Int64, Int64)])
    func values(input: String, value: Int64, milli: Int64) throws {
        let q = try Quantity(parsing: input)
        #expect(q.value == value)
        #expect(q.milliValue == milli)
    }

    @Test func comparesByAmount() throws {
        #expect(try Quantity(parsing: "1Gi") > Quantity(parsing: "1G"))
        #expect(try Quantity(parsing: "1000m") == Quantity(parsing: "1"))
        #expect(try Quantity(parsing: "500m") < Quantity(parsing: "1"))
    }

    @Test func arithmetic() throws {
        #expect(try (Quantity(parsing: "1Gi") + Quantity(parsing: "512Mi")).string == "1536Mi")
        #expect(try (Quantity(parsing: "1") - Quantity(parsing: "250m")).string == "750m")
        #expect(try (Quantity.zero + Quantity(parsing: "1Ki")).string == "1Ki")
    }

    @Test func canonicalizesJSON() throws {
        #expect(try Quantity.canonicalize(.int(2)) == "2")
        #expect(try Quantity.canonicalize(.double(0.5)) == "500m")
        #expect(try Quantity.canonicalize(" 1024Mi ") == "1Gi")
        #expect(try Quantity.canonicalize(.null) == .null)
        #expect(throws: QuantityError.formatWrong) { try Quantity.canonicalize(true) }
    }

    @Test func canonicalizesFieldsOfAPod() throws {
        var pod: JSON = ["spec": ["containers": [["name": "a", "resources": ["limits": ["memory": "1024Mi", "cpu": 0.5]]]]]]
        let def = try #require(Schema.shared.definition(group: "", version: "v1", kind: "Pod"))
        try Quantity.canonicalizeFields(in: &pod, definition: def, schema: .shared)
        #expect(pod[path: ["spec"]]?["containers"]?.array?[0][path: ["resources", "limits"]] == ["memory": "1Gi", "cpu": "500m"])
        var bad: JSON = ["spec": ["containers": [["name": "a", "resources": ["requests": ["cpu": "x"]]]]]]
        #expect(throws: QuantityFieldError(field: "spec.containers[0].resources.requests[cpu]", error: .formatWrong)) {
            try Quantity.canonicalizeFields(in: &bad, definition: def, schema: .shared)
        }
    }
}
