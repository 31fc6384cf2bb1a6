import Testing
@testable import KubeAPI

struct NameRulesTests {
    @Test(arguments: ["a", "abc-1", "1a", "a.b.c", "example.com"])
    func validSubdomains(name: String) { #expect(NameRules.isDNS1123Subdomain(name).isEmpty) }

    @Test(arguments: ["", "A", "-a", "a-", "a..b", "a_b"])
    func invalidSubdomains(name: String) {
        #expect(NameRules.isDNS1123Subdomain(name) == [
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
    }

    @Test func labelRules() {
        #expect(NameRules.isDNS1123Label("a.b") == ["must not contain dots"])
        #expect(NameRules.isDNS1123Label(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
        #expect(NameRules.isQualifiedName("example.com/app").isEmpty)
        #expect(NameRules.isQualifiedName("/app") == ["prefix part must be non-empty"])
        #expect(NameRules.isQualifiedName("a/b/c").count == 1)
        #expect(NameRules.isValidLabelValue("").isEmpty)
        #expect(NameRules.isValidLabelValue("-x").count == 1)
        #expect(NameRules.isValidPortName("http").isEmpty)
        #expect(NameRules.isValidPortName("1-") == ["must contain at least one letter (a-z)", "must not begin or end with a hyphen"])
        #expect(NameRules.isConfigMapKey("..x") == ["must not start with '..'"])
        #expect(NameRules.isRelaxedEnvVarName("A=B").count == 1)
    }
}
