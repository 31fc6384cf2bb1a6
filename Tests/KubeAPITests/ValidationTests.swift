import Testing
@testable import KubeAPI

struct ValidationTests {
    static func pod(_ spec: JSON, name: JSON = "web") -> JSON {
        ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": name, "namespace": "default"], "spec": spec]
    }

    static let good: JSON = ["containers": [["name": "web", "image": "nginx", "ports": [["containerPort": 80, "protocol": "TCP"]]]],
                             "restartPolicy": "Always", "dnsPolicy": "ClusterFirst"]

    @Test func validPodHasNoErrors() {
        #expect(PodValidation.validate(pod: Self.pod(Self.good)) == [])
    }

    @Test func metaRules() {
        #expect(ObjectMetaValidation.validate(meta: [:], namespaced: false, nameRule: .subdomain)
            == [.required("metadata.name", "name or generateName is required")])
        #expect(ObjectMetaValidation.validate(meta: ["name": "a", "namespace": "x"], namespaced: false, nameRule: .label)
            == [.forbidden("metadata.namespace", "not allowed on this type")])
        #expect(ObjectMetaValidation.validate(meta: ["generateName": "web-", "namespace": "d"], namespaced: true, nameRule: .subdomain) == [])
        let big = JSON.string(String(repeating: "x", count: 300 * 1024))
        #expect(ObjectMetaValidation.validate(meta: ["name": "a", "annotations": ["k": big]], namespaced: false, nameRule: .subdomain)
            == [.tooLong("metadata.annotations", 262144)])
    }

    @Test(arguments: [
        (["containers": []] as JSON, "spec.containers: Required value"),
        (["containers": [["name": "a"]]], "spec.containers[0].image: Required value"),
        (["containers": [["name": "a", "image": "x"], ["name": "a", "image": "x"]]], "spec.containers[1].name: Duplicate value: \"a\""),
        (["initContainers": [["name": "a", "image": "x"]], "containers": [["name": "a", "image": "x"]]], "spec.containers[0].name: Duplicate value: \"a\""),
        (["containers": [["name": "a", "image": "x"]], "restartPolicy": "Sometimes"], "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
        (["containers": [["name": "a", "image": "x", "ports": [["containerPort": 70000, "protocol": "TCP"]]]]], "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"),
        (["containers": [["name": "a", "image": "x", "ports": [["containerPort": 80, "protocol": "ICMP"]]]]], "spec.containers[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
        (["containers": [["name": "a", "image": "x", "resources": ["requests": ["cpu": "2"], "limits": ["cpu": "500m"]]]]], "spec.containers[0].resources.requests[cpu]: Invalid value: \"2\": must be less than or equal to cpu limit of 500m"),
        (["containers": [["name": "a", "image": "x", "livenessProbe": ["periodSeconds": 1]]]], "spec.containers[0].livenessProbe: Required value: must specify a handler type"),
        (["containers": [["name": "a", "image": "x", "readinessProbe": ["exec": ["command": ["true"]], "tcpSocket": ["port": 1]]]]], "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"),
        (["containers": [["name": "a", "image": "x", "volumeMounts": [["name": "v", "mountPath": "/v"]]]]], "spec.containers[0].volumeMounts[0].name: Not found: \"v\""),
        (["containers": [["name": "a", "image": "x"]], "volumes": [["name": "v"]]], "spec.volumes[0]: Required value: must specify a volume type"),
        (["containers": [["name": "a", "image": "x"]], "volumes": [["name": "v", "emptyDir": [:]], ["name": "v", "emptyDir": [:]]]], "spec.volumes[1].name: Duplicate value: \"v\""),
        (["containers": [["name": "a", "image": "x"]], "terminationGracePeriodSeconds": -1], "spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0"),
        (["containers": [["name": "a", "image": "x"]], "tolerations": [["key": "k", "operator": "Maybe"]]], "spec.tolerations[0].operator: Unsupported value: \"Maybe\": supported values: \"Equal\", \"Exists\""),
        (["containers": [["name": "a", "image": "x", "env": [["name": "A=B"]]]]], "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"),
    ] as [(JSON, String)])
    func podErrors(spec: JSON, expected: String) {
        var s = spec
        PodDefaults.setIfAbsent(&s, "restartPolicy", "Always")
        PodDefaults.setIfAbsent(&s, "dnsPolicy", "ClusterFirst")
        let errs = PodValidation.validate(pod: Self.pod(s)).map(\.description)
        #expect(errs.contains(expected), "\(errs)")
    }

    @Test func updateAllowsImageAndForbidsOthers() {
        let old = Self.pod(Self.good)
        var new = old
        new[path: ["spec", "containers"]] = [["name": "web", "image": "nginx:2", "ports": [["containerPort": 80, "protocol": "TCP"]]]]
        #expect(PodValidation.validateUpdate(new: new, old: old) == [])
        new[path: ["spec", "restartPolicy"]] = "Never"
        let errs = PodValidation.validateUpdate(new: new, old: old)
        #expect(errs.count == 1)
        #expect(errs.first?.field == "spec")
        #expect(errs.first?.message.hasPrefix("Forbidden: pod updates may not change fields other than `spec.containers[*].image`,") == true)
    }

    @Test func schemaCheckFindsUnknownFieldsAndTypes() throws {
        let def = try #require(Schema.shared.definition(group: "", version: "v1", kind: "Pod"))
        let obj: JSON = ["metadata": ["name": "a"], "spec": ["containers": [
            ["name": "a", "imagee": "x", "ports": [["containerPort": "80"]], "resources": ["limits": ["cpu": 1, "memory": "1Gx"]]],
            ["image": "y"],
        ]]]
        let (unknown, errors) = SchemaValidation.check(obj, definition: def, schema: .shared)
        #expect(unknown == ["spec.containers[0].imagee"])
        #expect(errors.map(\.field) == ["spec.containers[0].ports[0].containerPort", "spec.containers[0].resources.limits[memory]", "spec.containers[1].name"])
        #expect(errors[0].message == "Invalid value: \"string\": spec.containers[0].ports[0].containerPort in body must be of type integer: \"string\"")
        #expect(errors[2] == .required("spec.containers[1].name"))
    }
}

struct ConfigDataValidationTests {
    @Test func configMapKeysAndSize() {
        let cm: JSON = ["metadata": ["name": "c", "namespace": "d"], "data": ["ok.key": "1", "bad key": "2"]]
        #expect(ConfigDataValidation.validateConfigMap(cm).map(\.field) == ["data[bad key]"])
        let big: JSON = ["metadata": ["name": "c", "namespace": "d"], "data": ["k": .string(String(repeating: "x", count: 1_048_577))]]
        #expect(ConfigDataValidation.validateConfigMap(big) == [.tooLong("", 1_048_576)])
    }

    @Test func secretTypes() {
        let tls: JSON = ["metadata": ["name": "s", "namespace": "d"], "type": "kubernetes.io/tls", "data": ["tls.crt": "eA=="]]
        #expect(ConfigDataValidation.validateSecret(tls) == [.required("data[tls.key]")])
        #expect(ConfigDataValidation.validateNamespace(["metadata": ["name": "a.b"]]).map(\.message)
            == ["Invalid value: \"a.b\": must not contain dots"])
    }
}
