import Foundation
import KubeAPI
import Testing
@testable import Kubelet

@Suite struct EnvResolverTests {
    static let configMap: JSON = ["metadata": ["name": "cfg"], "data": ["MODE": "fast", "LEVEL": "3", "bad key": "x"]]
    static let secret: JSON = ["metadata": ["name": "creds"], "data": ["password": "czNjcjN0"]]

    func container(_ extra: [(String, JSON)]) -> (PodSpecView, ContainerSpec) {
        let pod = Fixture.pod(
            containers: [Fixture.container("main", extra: extra + [("resources", ["limits": ["memory": "64Mi"], "requests": ["cpu": "250m"]])])],
            specExtra: [("serviceAccountName", "builder")],
            metaExtra: [("labels", ["app": "web", "tier": "front"]), ("annotations", ["note": "say \"hi\""])])
        return (pod, pod.containers[0])
    }

    func resolve(_ extra: [(String, JSON)]) throws(EnvError) -> EnvResolver.Result {
        let (pod, c) = container(extra)
        return try EnvResolver(pod: pod, configMaps: ["cfg": Self.configMap], secrets: ["creds": Self.secret],
                               podIPs: ["10.88.0.5"], hostIPs: ["192.168.1.10"],
                               nodeAllocatable: ["cpu": Quantity(2), "memory": Quantity(4 << 30)]).resolve(c)
    }

    @Test(arguments: [
        ("$(A)-$(B)", "one-$(B)"), ("$$(A)", "$(A)"), ("$$", "$"), ("a$b", "a$b"), ("$(A", "$(A"), ("$(A)$(A)", "oneone"),
        ("$", "$"), ("$()", "$()"), ("x$$$(A)", "x$one"),
    ])
    func expansion(input: String, output: String) {
        #expect(VariableExpansion.expand(input) { $0 == "A" ? "one" : nil } == output)
    }

    struct FieldCase: Sendable {
        var path: String
        var value: String
    }

    @Test(arguments: [
        FieldCase(path: "metadata.name", value: "web"), FieldCase(path: "metadata.namespace", value: "default"),
        FieldCase(path: "metadata.uid", value: "uid-1"), FieldCase(path: "spec.nodeName", value: "node-1"),
        FieldCase(path: "spec.serviceAccountName", value: "builder"), FieldCase(path: "status.podIP", value: "10.88.0.5"),
        FieldCase(path: "status.hostIP", value: "192.168.1.10"), FieldCase(path: "metadata.labels['app']", value: "web"),
        FieldCase(path: "metadata.labels", value: "app=\"web\"\ntier=\"front\""),
        FieldCase(path: "metadata.annotations['note']", value: "say \"hi\""),
        FieldCase(path: "metadata.annotations", value: "note=\"say \\\"hi\\\"\""),
    ])
    func fieldRefs(c: FieldCase) throws {
        let r = try resolve([("env", [["name": "V", "valueFrom": ["fieldRef": ["fieldPath": .string(c.path)]]]])])
        #expect(r.env == [.init("V", c.value)])
    }

    @Test(arguments: [
        ("limits.memory", nil, "67108864"), ("limits.memory", "1Mi", "64"), ("requests.cpu", "1m", "250"),
        ("requests.cpu", nil, "1"), ("limits.cpu", nil, "2"), ("requests.memory", nil, "67108864"),
    ] as [(String, String?, String)])
    func resourceFieldRefs(resource: String, divisor: String?, value: String) throws {
        var ref: JSON = ["resource": .string(resource)]
        if let divisor { ref["divisor"] = .string(divisor) }
        let r = try resolve([("env", [["name": "V", "valueFrom": ["resourceFieldRef": ref]]])])
        #expect(r.env == [.init("V", value)])
    }

    @Test func envFromThenEnvWithReferencesAndExpandedCommand() throws {
        let r = try resolve([
            ("envFrom", [["configMapRef": ["name": "cfg"], "prefix": "CFG_"], ["secretRef": ["name": "creds"]]]),
            ("env", [
                ["name": "GREETING", "value": "mode=$(CFG_MODE) later=$(LATER)"],
                ["name": "LATER", "value": "x"],
                ["name": "CFG_LEVEL", "value": "9"],
                ["name": "PASS", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "password"]]],
            ]),
            ("command", ["sh", "-c", "echo $(GREETING) $(PASS) $$(HOME) $(NOPE)"]),
            ("args", ["$(LATER)"]),
        ])
        // Relaxed names (Kubernetes 1.32): a space is allowed.
        #expect(r.env == [.init("CFG_LEVEL", "9"), .init("CFG_MODE", "fast"), .init("CFG_bad key", "x"), .init("password", "s3cr3t"),
                          .init("GREETING", "mode=fast later=$(LATER)"), .init("LATER", "x"), .init("PASS", "s3cr3t")])
        #expect(r.command == ["sh", "-c", "echo mode=fast later=$(LATER) s3cr3t $(HOME) $(NOPE)"])
        #expect(r.args == ["x"])
        #expect(r.warnings.isEmpty)
    }

    @Test func invalidNamesFromEnvFromAreSkippedWithAWarning() throws {
        let r = try resolve([("envFrom", [["configMapRef": ["name": "cfg"], "prefix": "A="]])])
        #expect(r.env.isEmpty)
        #expect(r.warnings == ["Keys [A=LEVEL, A=MODE, A=bad key] from the EnvFrom configMap default/cfg were skipped since they are considered invalid environment variable names."])
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var env: JSON
        var message: String?
        var testDescription: String { message ?? "optional" }
    }

    @Test(arguments: [
        ErrorCase(env: ["env": [["name": "V", "valueFrom": ["configMapKeyRef": ["name": "x", "key": "k"]]]]],
                  message: "configmap \"x\" not found"),
        ErrorCase(env: ["env": [["name": "V", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "k"]]]]],
                  message: "couldn't find key k in ConfigMap default/cfg"),
        ErrorCase(env: ["env": [["name": "V", "valueFrom": ["secretKeyRef": ["name": "s", "key": "k"]]]]],
                  message: "secret \"s\" not found"),
        ErrorCase(env: ["env": [["name": "V", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "k"]]]]],
                  message: "couldn't find key k in Secret default/creds"),
        ErrorCase(env: ["envFrom": [["configMapRef": ["name": "x"]]]], message: "configmap \"x\" not found"),
        ErrorCase(env: ["env": [["name": "V", "valueFrom": ["configMapKeyRef": ["name": "x", "key": "k", "optional": true]]]],
                        "envFrom": [["secretRef": ["name": "y", "optional": true]]]], message: nil),
        ErrorCase(env: ["env": [["name": "V", "valueFrom": ["fieldRef": ["fieldPath": "spec.hostname"]]]]],
                  message: "unsupported fieldPath: spec.hostname"),
    ])
    func missingReferences(c: ErrorCase) {
        do {
            let r = try resolve(c.env.object!.map { ($0.key, $0.value) })
            #expect(c.message == nil)
            #expect(r.env.isEmpty)
        } catch {
            #expect(error.message == c.message)
            #expect(error.startFailure.reason == .createContainerConfigError)
        }
    }
}
