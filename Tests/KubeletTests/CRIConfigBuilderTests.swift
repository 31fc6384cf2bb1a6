import CRI
import KubeAPI
import Testing
@testable import Kubelet

struct CRIConfigBuilderTests {
    static func resources(_ r: [(String, JSON)]) -> [(String, JSON)] { [("resources", .object(JSONObject(r)))] }

    @Test func cpuAndMemoryBecomeCgroupSettings() {
        let c = Fixture.container("main", extra: Self.resources([
            ("requests", .object(JSONObject([("cpu", "250m"), ("memory", "64Mi")]))),
            ("limits", .object(JSONObject([("cpu", "500m"), ("memory", "128Mi")]))),
        ]))
        let pod = Fixture.pod(containers: [c])
        let r = ContainerConfigBuilder(pod: pod, spec: [:], memoryCapacity: 1 << 30).resources(pod.containers[0])
        #expect(r.cpuShares == 256 && r.cpuQuota == 50_000 && r.cpuPeriod == 100_000 && r.memoryLimitInBytes == 128 << 20)
        #expect(r.oomScoreAdj == 938)
    }

    @Test func bestEffortGetsMinimumSharesAndHighestScore() {
        let pod = Fixture.pod()
        let r = ContainerConfigBuilder(pod: pod, spec: [:], memoryCapacity: 1 << 30).resources(pod.containers[0])
        #expect(r.cpuShares == 2 && r.cpuQuota == 0 && r.oomScoreAdj == 1000)
    }

    @Test func sandboxLabelsLogsAndNamespaces() {
        let pod = Fixture.pod()
        let spec: JSON = .object(JSONObject([("hostNetwork", true), ("containers", .array([Fixture.container("main", extra: [
            ("ports", .array([.object(JSONObject([("containerPort", 80), ("hostPort", 8080)]))]))])]))]))
        let view = PodSpecView(pod: .object(JSONObject([("metadata", Fixture.podJSON()["metadata"]!), ("spec", spec)])))
        let c = SandboxConfigBuilder(podLogsRoot: "/var/log/pods", cgroupParent: "/kubepods/besteffort/poduid-1").build(view, spec: spec, attempt: 2)
        #expect(c.logDirectory == "/var/log/pods/default_web_uid-1" && c.metadata.attempt == 2)
        #expect(c.labels[CRILabels.podUID] == "uid-1" && c.linux.securityContext.namespaceOptions.network == .node)
        #expect(c.portMappings.map(\.hostPort) == [8080] && c.hostname == "")
        _ = pod
    }

    static func profile(_ type: String?, _ localhost: String? = nil) -> JSON {
        guard let type else { return .null }
        var o = JSONObject([("type", .string(type))])
        if let localhost { o["localhostProfile"] = .string(localhost) }
        return .object(o)
    }

    @Test(arguments: [
        // container seccompProfile type and file, pod's, expected type, expected localhost_ref
        (nil, nil, nil, nil, Runtime_V1_SecurityProfile.ProfileType.unconfined, ""),
        ("RuntimeDefault", nil, nil, nil, .runtimeDefault, ""),
        (nil, nil, "RuntimeDefault", nil, .runtimeDefault, ""),
        ("Unconfined", nil, "RuntimeDefault", nil, .unconfined, ""),
        ("Localhost", "profiles/audit.json", nil, nil, .localhost, "/k/seccomp/profiles/audit.json"),
        (nil, nil, "Localhost", "deny.json", .localhost, "/k/seccomp/deny.json"),
    ] as [(String?, String?, String?, String?, Runtime_V1_SecurityProfile.ProfileType, String)])
    func seccompFromContainerThenPod(cType: String?, cFile: String?, pType: String?, pFile: String?,
                                     type: Runtime_V1_SecurityProfile.ProfileType, ref: String) {
        let container = Self.profile(cType, cFile), podLevel = Self.profile(pType, pFile)
        let c = Fixture.container("main", extra: container.isNull ? [] : [("securityContext", .object(JSONObject([("seccompProfile", container)])))])
        let spec: JSON = .object(JSONObject([("containers", .array([c]))]
            + (podLevel.isNull ? [] : [("securityContext", .object(JSONObject([("seccompProfile", podLevel)])))])))
        let pod = PodSpecView(pod: .object(JSONObject([
            ("metadata", .object(JSONObject([("name", "p"), ("namespace", "d"), ("uid", "u")]))), ("spec", spec)])))
        let security = ContainerConfigBuilder(pod: pod, spec: spec, memoryCapacity: 1 << 30, seccompProfileRoot: "/k/seccomp")
            .security(pod.containers[0])
        #expect(security.hasSeccomp)
        #expect(security.seccomp.profileType == type && security.seccomp.localhostRef == ref)
    }
}
