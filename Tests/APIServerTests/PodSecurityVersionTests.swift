@testable import APIServer
import KubeAPI
import Testing

struct PodSecurityVersionTests {
    @Test(arguments: [("latest", nil as Int?), ("v1.0", 0), ("v1.22", 22), ("v1.40", 40)])
    func parses(text: String, minor: Int?) {
        #expect(PodSecurityVersion.parse(text) == PodSecurityVersion(minor: minor))
        #expect(PodSecurityVersion.parse(text)?.description == text)
    }

    @Test(arguments: ["", "Latest", "1.22", "v1", "v1.", "v2.0", "v1.22.1", "v1.-1", "v1.022", "v1.2x"])
    func rejects(text: String) {
        #expect(PodSecurityVersion.parse(text) == nil)
    }

    static let bare = PodSecurityPolicyTests.spec(["name": "c"])

    /// Each restricted check exists from the version that added it.
    @Test(arguments: [
        ("v1.7", ["runAsNonRoot != true"]),
        ("v1.8", ["allowPrivilegeEscalation != false", "runAsNonRoot != true"]),
        ("v1.19", ["allowPrivilegeEscalation != false", "runAsNonRoot != true", "seccompProfile"]),
        ("v1.22", ["allowPrivilegeEscalation != false", "unrestricted capabilities", "runAsNonRoot != true", "seccompProfile"]),
        ("latest", ["allowPrivilegeEscalation != false", "unrestricted capabilities", "runAsNonRoot != true", "seccompProfile"]),
        ("v1.99", ["allowPrivilegeEscalation != false", "unrestricted capabilities", "runAsNonRoot != true", "seccompProfile"]),
    ])
    func restrictedChecksByVersion(version: String, checks: [String]) {
        let found = PodSecurityPolicy.violations(Self.bare, level: .restricted, version: PodSecurityVersion.parse(version)!)
            .map { String($0.prefix { $0 != "(" }.dropLast()) }
        #expect(found == checks)
    }

    @Test func runAsUserZeroSince123AndSysctlsByVersion() {
        let root = PodSecurityPolicyTests.spec(PodSecurityPolicyTests.restrictedContainer, pod: ["securityContext": ["runAsUser": 0]])
        #expect(PodSecurityPolicy.violations(root, level: .restricted, version: .parse("v1.22")!).isEmpty)
        #expect(PodSecurityPolicy.violations(root, level: .restricted) == ["runAsUser=0 (pod must not set runAsUser=0)"])
        let sysctl = PodSecurityPolicyTests.spec(["name": "c"], pod: ["securityContext": ["sysctls": [["name": "net.ipv4.tcp_keepalive_time", "value": "60"]]]])
        #expect(PodSecurityPolicy.violations(sysctl, level: .baseline, version: .parse("v1.28")!) == ["forbidden sysctls (net.ipv4.tcp_keepalive_time)"])
        #expect(PodSecurityPolicy.violations(sysctl, level: .baseline, version: .parse("v1.29")!).isEmpty)
    }

    @Test func appArmor() {
        let annotations = ["container.apparmor.security.beta.kubernetes.io/c": "unconfined",
                           "container.apparmor.security.beta.kubernetes.io/d": "runtime/default"]
        #expect(PodSecurityPolicy.violations(Self.bare, level: .baseline, annotations: annotations)
            == ["forbidden AppArmor profile (container.apparmor.security.beta.kubernetes.io/c=\"unconfined\")"])
        let field = PodSecurityPolicyTests.spec(["name": "c", "securityContext": ["appArmorProfile": ["type": "Unconfined"]]])
        #expect(PodSecurityPolicy.violations(field, level: .baseline).count == 1)
        #expect(PodSecurityPolicy.violations(field, level: .baseline, version: .parse("v1.29")!).isEmpty)
    }

    @Test func namespaceLabelsOverDefaults() {
        var defaults = PodSecurityConfiguration()
        defaults.warn = .init(level: .baseline, version: .latest)
        let p = PodSecurity.policy(labels: ["pod-security.kubernetes.io/enforce": "restricted",
                                            "pod-security.kubernetes.io/enforce-version": "v1.24"], defaults: defaults)
        #expect(p.enforce.description == "restricted:v1.24")
        #expect(p.warn.description == "baseline:latest")
        #expect(p.audit.description == "privileged:latest")
        #expect(p.errors.isEmpty)
        let bad = PodSecurity.policy(labels: ["pod-security.kubernetes.io/enforce": "strict",
                                              "pod-security.kubernetes.io/warn-version": "1.24"], defaults: defaults)
        // Invalid values evaluate as restricted:latest (fail closed) and are reported.
        #expect(bad.enforce.description == "restricted:latest")
        #expect(bad.warn.description == "baseline:latest")
        #expect(bad.errors.map(\.field) == ["metadata.labels[pod-security.kubernetes.io/enforce]",
                                            "metadata.labels[pod-security.kubernetes.io/warn-version]"])
    }

    @Test func existingPodWarningsAreGrouped() {
        func pod(_ name: String, _ container: JSON) -> JSON {
            ["metadata": ["name": .string(name)], "spec": ["containers": [container]]]
        }
        let pods = [pod("b", ["name": "c"]), pod("a", ["name": "c"]), pod("ok", PodSecurityPolicyTests.restrictedContainer),
                    pod("p", ["name": "c", "securityContext": ["privileged": true, "allowPrivilegeEscalation": false,
                                                               "runAsNonRoot": true, "capabilities": ["drop": ["ALL"]],
                                                               "seccompProfile": ["type": "RuntimeDefault"]]])]
        #expect(PodSecurity.existingPodWarnings(pods, namespace: "ns", policy: .init(level: .restricted, version: .latest)) == [
            "existing pods in namespace \"ns\" violate the new PodSecurity enforce level \"restricted:latest\"",
            "a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile",
            "p: privileged",
        ])
        #expect(PodSecurity.existingPodWarnings([pods[2]], namespace: "ns", policy: .init(level: .restricted, version: .latest)).isEmpty)
    }

    @Test func configurationFromAdmissionConfiguration() throws {
        let json = try JSONParser.parse(#"""
        {"apiVersion":"apiserver.config.k8s.io/v1","kind":"AdmissionConfiguration","plugins":[{"name":"PodSecurity","configuration":
          {"apiVersion":"pod-security.admission.config.k8s.io/v1","kind":"PodSecurityConfiguration",
           "defaults":{"enforce":"baseline","enforce-version":"v1.30","warn":"restricted"},
           "exemptions":{"usernames":["ci-bot"],"namespaces":["kube-system"],"runtimeClasses":["kata"]}}}]}
        """#)
        let c = try #require(try PodSecurityConfiguration.from(admissionConfiguration: json))
        #expect(c.enforce.description == "baseline:v1.30")
        #expect(c.warn.description == "restricted:latest")
        #expect(c.audit == .privileged)
        #expect(c.exemptUsernames == ["ci-bot"] && c.exemptNamespaces == ["kube-system"] && c.exemptRuntimeClasses == ["kata"])
        let bad = try JSONParser.parse(#"{"plugins":[{"name":"PodSecurity","configuration":{"defaults":{"enforce":"strict"}}}]}"#)
        #expect(throws: PodSecurityConfiguration.ConfigurationError.self) { try PodSecurityConfiguration.from(admissionConfiguration: bad) }
        #expect(try PodSecurityConfiguration.from(admissionConfiguration: try JSONParser.parse(#"{"plugins":[]}"#)) == nil)
    }
}
