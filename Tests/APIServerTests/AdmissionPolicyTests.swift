import KubeAPI
import Testing
@testable import APIServer

struct LimitRangePolicyTests {
    static let range: JSON = ["spec": ["limits": [[
        "type": "Container", "max": ["cpu": "1"], "min": ["cpu": "100m"], "default": ["memory": "256Mi"],
        "defaultRequest": ["memory": "128Mi"], "maxLimitRequestRatio": ["cpu": "4"],
    ]]]]

    static func pod(_ resources: JSON) -> JSON {
        ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "x", "resources": resources]]]]
    }

    @Test func itemDefaults() {
        let d = LimitRangePolicy.defaulted(["type": "Container", "max": ["cpu": "2"], "min": ["memory": "1Mi"]])
        #expect(d[path: ["default", "cpu"]] == "2")
        #expect(d[path: ["defaultRequest", "cpu"]] == "2")
        #expect(d[path: ["defaultRequest", "memory"]] == "1Mi")
    }

    @Test func fillsDefaultsAndNotes() {
        var p = Self.pod(["limits": ["cpu": "500m"], "requests": ["cpu": "500m"]])
        let note = LimitRangePolicy.applyDefaults(&p, ranges: [Self.range])
        let r = p[path: ["spec", "containers"]]?.array?.first?["resources"]
        #expect(r?[path: ["limits", "memory"]] == "256Mi")
        #expect(r?[path: ["requests", "memory"]] == "128Mi")
        #expect(r?[path: ["limits", "cpu"]] == "500m")
        #expect(note == "LimitRanger plugin set: memory request for container c; memory limit for container c")
        #expect(LimitRangePolicy.violations(pod: p, ranges: [Self.range]).isEmpty)
    }

    @Test(arguments: [
        (["limits": ["cpu": "2"], "requests": ["cpu": "1"]] as JSON, "maximum cpu usage per Container is 1, but limit is 2"),
        (["limits": ["cpu": "500m"], "requests": ["cpu": "50m"]] as JSON, "minimum cpu usage per Container is 100m, but request is 50m"),
        (["requests": ["cpu": "200m"]] as JSON, "maximum cpu usage per Container is 1.  No limit is specified"),
        (["limits": ["cpu": "1"], "requests": ["cpu": "200m"]] as JSON, "cpu max limit to request ratio per Container is 4, but provided ratio is 5.000000"),
    ])
    func refuses(resources: JSON, message: String) {
        #expect(LimitRangePolicy.violations(pod: Self.pod(resources), ranges: [Self.range]).contains(message))
    }

    @Test func podAndClaimItems() {
        let ranges: [JSON] = [["spec": ["limits": [["type": "Pod", "max": ["memory": "1Gi"]],
                                                   ["type": "PersistentVolumeClaim", "max": ["storage": "5Gi"]]]]]]
        var p = Self.pod(["limits": ["memory": "1Gi"]])
        p[path: ["spec", "containers"]] = .array((p[path: ["spec", "containers"]]?.array ?? []) + [["name": "d", "resources": ["limits": ["memory": "512Mi"]]]])
        #expect(LimitRangePolicy.violations(pod: p, ranges: ranges) == ["maximum memory usage per Pod is 1Gi, but limit is 1536Mi"])
        let claim: JSON = ["spec": ["resources": ["requests": ["storage": "10Gi"]]]]
        #expect(LimitRangePolicy.violations(claim: claim, ranges: ranges) == ["maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi"])
    }
}

struct QuotaUsageTests {
    static let pods = ResourceCatalog.lookup(group: "", version: "v1", resource: "pods")!
    static let claims = ResourceCatalog.lookup(group: "", version: "v1", resource: "persistentvolumeclaims")!

    static let pod: JSON = ["spec": [
        "initContainers": [["name": "i", "resources": ["requests": ["cpu": "2"], "limits": ["cpu": "2"]]]],
        "containers": [["name": "a", "resources": ["requests": ["cpu": "500m", "memory": "64Mi"], "limits": ["cpu": "1", "memory": "64Mi"]]],
                       ["name": "b", "resources": ["requests": ["cpu": "500m"]]]],
    ]]

    @Test func podUsage() {
        let u = QuotaUsage.usage(of: Self.pod, resource: Self.pods, keys: ["pods", "count/pods", "requests.cpu", "limits.memory", "cpu", "secrets"])
        #expect(u["pods"] == Quantity(1))
        #expect(u["count/pods"] == Quantity(1))
        #expect(u["requests.cpu"] == Quantity(2))
        #expect(u["cpu"] == Quantity(2))
        #expect(u["limits.memory"]?.canonicalString == "64Mi")
        #expect(u["secrets"] == nil)
        var done = Self.pod
        done[path: ["status", "phase"]] = "Succeeded"
        #expect(QuotaUsage.usage(of: done, resource: Self.pods, keys: ["pods"]).isEmpty)
    }

    @Test func claimUsage() {
        let c: JSON = ["spec": ["storageClassName": "fast", "resources": ["requests": ["storage": "1Gi"]]]]
        let u = QuotaUsage.usage(of: c, resource: Self.claims, keys: ["persistentvolumeclaims", "requests.storage",
                                                                       "fast.storageclass.storage.k8s.io/requests.storage"])
        #expect(u["persistentvolumeclaims"] == Quantity(1))
        #expect(u["requests.storage"]?.canonicalString == "1Gi")
        #expect(u["fast.storageclass.storage.k8s.io/requests.storage"]?.canonicalString == "1Gi")
    }

    @Test func missingLimitsAndRendering() {
        #expect(QuotaUsage.missing(pod: Self.pod, keys: ["limits.cpu", "limits.memory", "pods"]) == ["limits.cpu for: b", "limits.memory for: i,b"])
        #expect(QuotaUsage.render(["requests.cpu": Quantity(milli: 500), "pods": Quantity(2)]) == "pods=2,requests.cpu=500m")
    }
}

struct PodSecurityPolicyTests {
    static func spec(_ container: JSON, pod: JSON = [:]) -> JSON {
        var s = pod
        s["containers"] = [container]
        return s
    }

    static let restrictedContainer: JSON = ["name": "c", "securityContext": [
        "allowPrivilegeEscalation": false, "runAsNonRoot": true, "capabilities": ["drop": ["ALL"]],
        "seccompProfile": ["type": "RuntimeDefault"]]]

    @Test func restrictedPodPasses() {
        #expect(PodSecurityPolicy.violations(Self.spec(Self.restrictedContainer), level: .restricted).isEmpty)
        #expect(PodSecurityPolicy.violations(Self.spec(["name": "c"]), level: .baseline).isEmpty)
        #expect(PodSecurityPolicy.violations(Self.spec(["name": "c", "securityContext": ["privileged": true]]), level: .privileged).isEmpty)
    }

    @Test func baselineViolations() {
        let s = Self.spec(["name": "c", "securityContext": ["privileged": true, "capabilities": ["add": ["NET_ADMIN", "CHOWN"]]],
                           "ports": [["containerPort": 80, "hostPort": 8080]]],
                          pod: ["hostNetwork": true, "volumes": [["name": "h", "hostPath": ["path": "/"]]]])
        let v = PodSecurityPolicy.violations(s, level: .baseline)
        #expect(v == [
            "host namespaces (hostNetwork=true)",
            "privileged (container \"c\" must not set securityContext.privileged=true)",
            "non-default capabilities (container \"c\" must not include \"NET_ADMIN\" in securityContext.capabilities.add)",
            "hostPath volumes (volume \"h\")",
            "hostPort (container \"c\" uses hostPort 8080)",
        ])
    }

    @Test func restrictedViolations() {
        let v = PodSecurityPolicy.violations(Self.spec(["name": "c"]), level: .restricted)
        #expect(v == [
            "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false)",
            "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"])",
            "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true)",
            "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
        ])
        let podLevel = Self.spec(["name": "c", "securityContext": ["allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]]]],
                                 pod: ["securityContext": ["runAsNonRoot": true, "seccompProfile": ["type": "RuntimeDefault"]]])
        #expect(PodSecurityPolicy.violations(podLevel, level: .restricted).isEmpty)
    }
}
