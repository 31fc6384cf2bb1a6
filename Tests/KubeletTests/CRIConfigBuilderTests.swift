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
}
