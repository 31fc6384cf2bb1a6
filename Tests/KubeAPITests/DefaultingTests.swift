import Testing
@testable import KubeAPI

struct DefaultingTests {
    @Test func podDefaults() {
        var pod: JSON = ["metadata": ["name": "p"], "spec": ["containers": [[
            "name": "a", "image": "nginx", "ports": [["containerPort": 80]],
            "livenessProbe": ["httpGet": ["port": 80]],
            "resources": ["limits": ["cpu": "1", "memory": "1Gi"]],
        ]], "volumes": [["name": "c", "configMap": ["name": "x"]]]]]
        PodDefaults.apply(to: &pod)
        let spec = pod["spec"]!
        #expect(spec["restartPolicy"] == "Always")
        #expect(spec["terminationGracePeriodSeconds"] == 30)
        #expect(spec["dnsPolicy"] == "ClusterFirst")
        #expect(spec["schedulerName"] == "default-scheduler")
        #expect(spec["enableServiceLinks"] == true)
        #expect(spec["priority"] == 0)
        let c = spec["containers"]!.array![0]
        #expect(c["imagePullPolicy"] == "Always")
        #expect(c["terminationMessagePath"] == "/dev/termination-log")
        #expect(c["terminationMessagePolicy"] == "File")
        #expect(c["ports"]?.array?[0]["protocol"] == "TCP")
        #expect(c["livenessProbe"] == ["httpGet": ["port": 80, "path": "/", "scheme": "HTTP"], "timeoutSeconds": 1,
                                       "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3])
        #expect(c[path: ["resources", "requests"]] == ["cpu": "1", "memory": "1Gi"])
        #expect(spec["volumes"]?.array?[0][path: ["configMap", "defaultMode"]] == 420)
        #expect(pod["status"] == ["phase": "Pending", "qosClass": "Guaranteed"])
    }

    @Test(arguments: [
        ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
        ("localhost:5000/nginx", "Always"), ("localhost:5000/nginx:1", "IfNotPresent"),
        ("nginx@sha256:abc", "IfNotPresent"),
    ])
    func pullPolicy(image: String, policy: String) {
        #expect(ContainerDefaults.pullPolicy(for: image) == policy)
    }

    @Test(arguments: [
        (["containers": [["name": "a"]]] as JSON, QoSClass.bestEffort),
        (["containers": [["name": "a", "resources": ["requests": ["cpu": "1"]]]]], .burstable),
        (["containers": [["name": "a", "resources": ["requests": ["cpu": "1", "memory": "1Gi"], "limits": ["cpu": "1", "memory": "1Gi"]]]]], .guaranteed),
        (["containers": [["name": "a", "resources": ["requests": ["cpu": "500m", "memory": "1Gi"], "limits": ["cpu": "1", "memory": "1Gi"]]]]], .burstable),
        (["containers": [["name": "a", "resources": ["limits": ["cpu": "1", "memory": "1Gi"], "requests": ["cpu": "1", "memory": "1Gi"]]], ["name": "b"]]], .burstable),
    ] as [(JSON, QoSClass)])
    func qos(spec: JSON, expected: QoSClass) {
        #expect(QoSClass.of(spec: spec) == expected)
    }

    @Test func otherKinds() {
        var ns: JSON = ["metadata": ["name": "team"]]
        NamespaceDefaults.apply(to: &ns)
        #expect(ns[path: ["metadata", "labels"]] == ["kubernetes.io/metadata.name": "team"])
        #expect(ns[path: ["status", "phase"]] == "Active")
        var secret: JSON = ["metadata": ["name": "s"]]
        SecretDefaults.apply(to: &secret)
        #expect(secret["type"] == "Opaque")
        var pv: JSON = ["spec": [:]]
        PersistentVolumeDefaults.apply(to: &pv)
        #expect(pv["spec"] == ["persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem"])
    }
}
